/**
 * The JSON report (DESIGN §3): a public contract. Add fields; never rename or remove one.
 */
import type { Report } from './redact.js';

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
    },
    findings: report.findings.map((finding) => {
      const dated = finding.occurrences.filter((o) => o.commit !== undefined && o.date !== undefined);
      dated.sort((a, b) => (a.date! < b.date! ? -1 : a.date! > b.date! ? 1 : 0));
      const first = dated[0];
      const last = dated[dated.length - 1];
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
        secretHash: finding.secretHash,
        remediation: finding.rule.remediation,
        presentAtHead: finding.occurrences.some((o) => o.source !== 'history'),
        firstSeen: first ? { commit: first.commit, date: first.date } : null,
        lastSeen: last ? { commit: last.commit, date: last.date } : null,
        validated: finding.validated,
        occurrences: finding.occurrences,
      };
    }),
    suppressed: report.suppressed,
    errors: report.errors,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
