/**
 * Grouping: Candidates to Findings, one per secret (same rule, same value) with every occurrence.
 * The finding id is a hash of the rule id and the secret, so it is stable across runs, line moves and
 * reformatting, and never reveals the secret.
 */
import { createHash } from '../util/builtins.js';
import type { Candidate, Finding, Occurrence, RuleSpec } from '../types.js';

export function findingId(ruleId: string, secret: string): string {
  return createHash('sha256').update(ruleId).update('\0').update(secret).digest('hex').slice(0, 32);
}

export function secretHash(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex')}`;
}

/**
 * Adds candidates to an existing map of findings, so sources can stream: group as chunks are detected,
 * not after the whole scan. Duplicate occurrences (same place found twice) are dropped.
 */
export class FindingGrouper {
  private readonly findings = new Map<string, Finding>();
  private readonly seenPlaces = new Set<string>();

  constructor(private readonly rulesById: ReadonlyMap<string, RuleSpec>) {}

  add(candidate: Candidate): void {
    // A candidate of a rule not in force (disabled in the config) ends here: the CI checks are code
    // that reports by rule id without knowing the config.
    if (!this.rulesById.has(candidate.ruleId)) return;
    const id = findingId(candidate.ruleId, candidate.secret);
    const occurrence: Occurrence = {
      path: candidate.origin.path,
      line: candidate.line,
      column: candidate.column,
      endLine: candidate.endLine,
      endColumn: candidate.endColumn,
      source: candidate.origin.source,
      ...(candidate.origin.commit !== undefined ? { commit: candidate.origin.commit } : {}),
      ...(candidate.origin.author !== undefined ? { author: candidate.origin.author } : {}),
      ...(candidate.origin.email !== undefined ? { email: candidate.origin.email } : {}),
      ...(candidate.origin.date !== undefined ? { date: candidate.origin.date } : {}),
      ...(candidate.decoded !== undefined ? { decoded: candidate.decoded } : {}),
    };
    const place = `${id}\0${occurrence.commit ?? ''}\0${occurrence.path}\0${occurrence.line}\0${occurrence.column}`;
    if (this.seenPlaces.has(place)) return;
    this.seenPlaces.add(place);

    let finding = this.findings.get(id);
    if (!finding) {
      finding = {
        id,
        rule: this.rulesById.get(candidate.ruleId)!,
        secret: candidate.secret,
        secretHash: secretHash(candidate.secret),
        validated: candidate.validated,
        entropy: candidate.entropy,
        occurrences: [],
        lineTexts: [],
      };
      this.findings.set(id, finding);
    }
    finding.occurrences.push(occurrence);
    finding.lineTexts.push(candidate.lineText);
  }

  result(): Finding[] {
    return [...this.findings.values()];
  }
}
