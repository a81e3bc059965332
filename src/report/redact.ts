/**
 * Redaction, done once before any reporter sees a finding: a reporter cannot leak what it never gets
 * (secretlint's rule). The line texts kept for inline suppression are dropped here too.
 */
import type { RuleSpec, ScanResult, ScoredFinding, Severity } from '../types.js';

export type ReportFinding = Omit<ScoredFinding, 'lineTexts'>;

export interface Report extends Omit<ScanResult, 'findings'> {
  findings: ReportFinding[];
  secretsShown: boolean;
  /** Findings left out of the report by --min-severity (they still count for --fail-on). */
  hidden?: { minSeverity: Severity; findings: number };
}

/**
 * Keeps a recognisable prefix (`ghp_`, `sk_live_`, `xoxb-`, `AKIA`) or a few leading characters: enough to
 * tell findings apart, far too little to use. Never more than a quarter of the secret.
 */
export function redactSecret(secret: string): string {
  const prefix = /^[A-Za-z]{2,8}[_-](?:[a-z]{2,8}[_-])?/.exec(secret)?.[0];
  const visible = Math.min(prefix?.length ?? 4, Math.floor(secret.length / 4));
  return `${secret.slice(0, visible)}…(redacted)`;
}

export function toReport(result: ScanResult, showSecrets: boolean): Report {
  return {
    ...result,
    secretsShown: showSecrets,
    findings: result.findings.map(({ lineTexts: _lineTexts, ...finding }) => ({
      ...finding,
      secret: showSecrets || !isSecret(finding) ? finding.secret : redactSecret(finding.secret),
    })),
  };
}

/**
 * Whether a finding's `secret` is one. A CI posture check (`permissions: write-all`, a checkout of the PR
 * head) has nothing to hide: its `secret` is a description of the problem, built from setting names and
 * action references, never from values, and a redacted description would tell the reader nothing. The
 * flag lives on the rule (ci/rules.ts CiRuleSpec `secret: false`), so every pattern rule stays a secret.
 */
export function isSecret(finding: { rule: RuleSpec & { secret?: boolean } }): boolean {
  return finding.rule.secret !== false;
}
