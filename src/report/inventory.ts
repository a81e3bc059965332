/**
 * The credential inventory: what kinds of non-human credentials were found, how privileged, how
 * long-lived, how widely copied and since when. The text report opens with it; JSON carries it as
 * `summary`. Built from redacted findings: it counts, it never shows a secret.
 */
import { SEVERITIES, type Severity } from '../types.js';
import type { ReportFinding } from './redact.js';
import { firstAndLastSeen } from './seen.js';

export interface InventoryRow {
  provider: string;
  credentialType: string;
  findings: number;
  locations: number;
  worstSeverity: Severity;
  longLived: number;
  /** Oldest first-seen commit date among the row's findings (history scans only). */
  oldestFirstSeen: string | null;
  /** Findings whose secret is still in the current code. */
  atHead: number;
}

export interface Summary {
  findings: number;
  locations: number;
  bySeverity: Record<Severity, number>;
  inventory: InventoryRow[];
}

export function summarize(findings: readonly ReportFinding[]): Summary {
  const rows = new Map<string, InventoryRow & { oldestAt: number }>();
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  let locations = 0;
  for (const finding of findings) {
    bySeverity[finding.severity]++;
    locations += finding.occurrences.length;
    const key = `${finding.rule.provider}\0${finding.rule.credentialType}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        provider: finding.rule.provider,
        credentialType: finding.rule.credentialType,
        findings: 0,
        locations: 0,
        worstSeverity: finding.severity,
        longLived: 0,
        oldestFirstSeen: null,
        atHead: 0,
        oldestAt: Number.POSITIVE_INFINITY,
      };
      rows.set(key, row);
    }
    row.findings++;
    row.locations += finding.occurrences.length;
    if (SEVERITIES.indexOf(finding.severity) < SEVERITIES.indexOf(row.worstSeverity)) row.worstSeverity = finding.severity;
    if (finding.rule.lifetime === 'long-lived') row.longLived++;
    if (finding.presentAtHead ?? true) row.atHead++;
    const { firstSeen } = firstAndLastSeen(finding.occurrences);
    const at = firstSeen ? Date.parse(firstSeen.date) : Number.NaN;
    if (firstSeen && at < row.oldestAt) {
      row.oldestAt = at;
      row.oldestFirstSeen = firstSeen.date;
    }
  }
  const inventory = [...rows.values()]
    .map(({ oldestAt: _oldestAt, ...row }) => row)
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(a.worstSeverity) - SEVERITIES.indexOf(b.worstSeverity) ||
        b.findings - a.findings ||
        a.provider.localeCompare(b.provider) ||
        a.credentialType.localeCompare(b.credentialType),
    );
  return { findings: findings.length, locations, bySeverity, inventory };
}
