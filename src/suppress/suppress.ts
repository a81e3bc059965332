/**
 * The suppression stage: drops occurrences the user has accepted, before scoring so that a suppressed
 * occurrence never raises a score. Counts are of occurrences suppressed.
 */
import type { Finding, SuppressedCounts } from '../types.js';
import type { Allowlist } from './allowlist.js';
import { isAllowedInline } from './inline.js';

export function suppress(findings: Finding[], allowlist: Allowlist): { kept: Finding[]; suppressed: SuppressedCounts } {
  const suppressed: SuppressedCounts = { baseline: 0, inline: 0, allowlist: 0 };
  const kept: Finding[] = [];
  for (const finding of findings) {
    const ruleId = finding.rule.id;
    if (allowlist.allowsSecret(ruleId, finding.secret)) {
      suppressed.allowlist += finding.occurrences.length;
      continue;
    }
    const occurrences = [];
    const lineTexts = [];
    for (let i = 0; i < finding.occurrences.length; i++) {
      const occurrence = finding.occurrences[i]!;
      if (isAllowedInline(finding.lineTexts[i]!, ruleId)) suppressed.inline++;
      else if (allowlist.allowsPath(ruleId, occurrence.path)) suppressed.allowlist++;
      else {
        occurrences.push(occurrence);
        lineTexts.push(finding.lineTexts[i]!);
      }
    }
    if (occurrences.length > 0) kept.push({ ...finding, occurrences, lineTexts });
  }
  return { kept, suppressed };
}
