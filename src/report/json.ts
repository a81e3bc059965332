/**
 * The JSON report (DESIGN §3): a public contract. Add fields; never rename or remove one.
 */
import { summarize } from './inventory.js';
import { isSecret, type Report } from './redact.js';
import { firstAndLastSeen } from './seen.js';

export const SCHEMA_VERSION = 1;

export function renderJson(report: Report, tool: { name: string; version: string }): string {
  const document = {
    schemaVersion: SCHEMA_VERSION,
    tool,
    scan: {
      kind: report.stats.kind,
      root: report.stats.root,
      durationMs: report.stats.durationMs,
      filesScanned: report.stats.filesScanned,
      bytesScanned: report.stats.bytesScanned,
      commitsScanned: report.stats.commitsScanned,
      blobsScanned: report.stats.blobsScanned,
      skipped: report.stats.skipped,
      ...(report.stats.git ? { git: report.stats.git, notices: report.notices } : {}),
    },
    findings: report.findings.map((finding) => {
      const { firstSeen, lastSeen } = firstAndLastSeen(finding.occurrences);
      return {
        id: finding.id,
        ruleId: finding.rule.id,
        title: finding.rule.name,
        provider: finding.rule.provider,
        credentialType: finding.rule.credentialType,
        privilege: finding.rule.privilege,
        lifetime: finding.rule.lifetime,
        severity: finding.severity,
        score: finding.score,
        confidence: finding.confidence,
        scoreReasons: finding.scoreReasons,
        secret: finding.secret,
        // Added in 0.1: "posture" findings (CI configuration problems) hold a description in `secret`, in clear.
        kind: isSecret(finding) ? 'secret' : 'posture',
        secretHash: finding.secretHash,
        remediation: finding.rule.remediation,
        // scan() computes it (for history, from HEAD's tree); results built by hand may lack it.
        presentAtHead: finding.presentAtHead ?? finding.occurrences.some((o) => o.source !== 'history'),
        firstSeen,
        lastSeen,
        validated: finding.validated,
        pairedWith: finding.pairedWith,
        occurrences: finding.occurrences,
      };
    }),
    suppressed: report.suppressed,
    ...(report.hidden ? { hidden: report.hidden } : {}),
    summary: summarize(report.findings),
    errors: report.errors,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
