import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/report/inventory.js';
import type { ReportFinding } from '../../src/report/redact.js';
import type { Occurrence, Severity } from '../../src/types.js';
import { testRule } from '../helpers/rules.js';

function finding(provider: string, credentialType: string, severity: Severity, occurrences: Partial<Occurrence>[], extra: Partial<ReportFinding> = {}): ReportFinding {
  return {
    id: `${provider}-${severity}-${occurrences.length}`,
    rule: testRule({ id: `${provider}-key`, pattern: 'x', provider, credentialType, lifetime: severity === 'low' ? 'short-lived' : 'long-lived' }),
    secret: 'x…(redacted)',
    secretHash: 'sha256:0',
    validated: [],
    entropy: 4,
    occurrences: occurrences.map((o) => ({ path: 'a', line: 1, column: 1, endLine: 1, endColumn: 2, source: 'history', ...o })),
    score: 50,
    severity,
    confidence: 'medium',
    scoreReasons: [],
    pairedWith: [],
    ...extra,
  };
}

describe('summarize', () => {
  it('groups by provider and credential type with counts, worst severity, long-lived, oldest first seen and at HEAD', () => {
    const summary = summarize([
      finding('aws', 'cloud-iam-key', 'critical', [{ commit: 'b', date: '2024-05-01T00:00:00Z' }, { commit: 'c', date: '2025-01-01T00:00:00Z' }], { presentAtHead: false }),
      finding('aws', 'cloud-iam-key', 'high', [{ commit: 'a', date: '2023-02-01T10:00:00+02:00' }], { presentAtHead: true }),
      finding('aws', 'cloud-session-token', 'low', [{ commit: 'd', date: '2025-06-01T00:00:00Z' }], { presentAtHead: true }),
      finding('slack', 'incoming-webhook', 'medium', [{ source: 'worktree' }]),
    ]);
    expect(summary).toEqual({
      findings: 4,
      locations: 5,
      bySeverity: { critical: 1, high: 1, medium: 1, low: 1, info: 0 },
      inventory: [
        { provider: 'aws', credentialType: 'cloud-iam-key', findings: 2, locations: 3, worstSeverity: 'critical', longLived: 2, oldestFirstSeen: '2023-02-01T10:00:00+02:00', atHead: 1 },
        { provider: 'slack', credentialType: 'incoming-webhook', findings: 1, locations: 1, worstSeverity: 'medium', longLived: 1, oldestFirstSeen: null, atHead: 1 },
        { provider: 'aws', credentialType: 'cloud-session-token', findings: 1, locations: 1, worstSeverity: 'low', longLived: 0, oldestFirstSeen: '2025-06-01T00:00:00Z', atHead: 1 },
      ],
    });
  });

  it('is empty for a clean scan', () => {
    expect(summarize([])).toEqual({ findings: 0, locations: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, inventory: [] });
  });
});
