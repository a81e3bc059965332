/**
 * Scoring (DESIGN §6). Provisional: severity follows the rule's `privilege`, and confidence follows how
 * the match was confirmed. The full model (credential type, lifetime, exposure, pairing) replaces the
 * table below without changing the function's shape: a finding in, a score with its reasons out.
 */
import type { Confidence, Finding, Privilege, RuleSpec, ScoredFinding, Severity } from '../types.js';

const PRIVILEGE_SCORE: Record<Privilege, number> = { admin: 95, high: 80, medium: 55, low: 25, unknown: 45 };

export function severityOf(score: number): Severity {
  if (score >= 90) return 'critical';
  if (score >= 70) return 'high';
  if (score >= 40) return 'medium';
  if (score >= 10) return 'low';
  return 'info';
}

export function score(finding: Finding): ScoredFinding {
  const base = PRIVILEGE_SCORE[finding.rule.privilege];
  const reasons = [`privilege ${finding.rule.privilege}: ${base}`];
  let confidence: Confidence = 'medium';
  if (finding.validated.length > 0) {
    confidence = 'high';
    reasons.push(`validated offline (${finding.validated.join(', ')})`);
  } else if (finding.rule.credentialType.startsWith('generic')) {
    confidence = 'low';
    reasons.push('generic pattern with an entropy gate');
  }
  return { ...finding, score: base, severity: severityOf(base), confidence, scoreReasons: reasons };
}

/** The severity a rule's findings start from, before anything is known of where they were found. */
export function ruleSeverity(rule: RuleSpec): Severity {
  return severityOf(PRIVILEGE_SCORE[rule.privilege]);
}
