import { describe, expect, it } from 'vitest';
import { FindingGrouper, findingId, secretHash } from '../../src/findings/group.js';
import type { Candidate } from '../../src/types.js';
import { testRule } from '../helpers/rules.js';

const rule = testRule({ id: 'acme-key', pattern: 'acme_[a-z]+' });
const other = testRule({ id: 'other-key', pattern: 'acme_[a-z]+' });

function candidate(ruleId: string, secret: string, path: string, line: number, commit?: string): Candidate {
  return {
    ruleId,
    secret,
    start: 0,
    end: secret.length,
    line,
    column: 3,
    endLine: line,
    endColumn: 3 + secret.length,
    lineText: `x ${secret}`,
    validated: [],
    entropy: 3.5,
    origin: { path, source: commit ? 'history' : 'worktree', ...(commit ? { commit, date: '2026-01-01T00:00:00Z' } : {}) },
  };
}

describe('FindingGrouper', () => {
  it('makes one finding per rule and secret, with every occurrence', () => {
    const grouper = new FindingGrouper(new Map([[rule.id, rule], [other.id, other]]));
    grouper.add(candidate('acme-key', 'acme_one', 'a.ts', 1));
    grouper.add(candidate('acme-key', 'acme_one', 'b.ts', 7));
    grouper.add(candidate('acme-key', 'acme_two', 'a.ts', 2));
    grouper.add(candidate('other-key', 'acme_one', 'a.ts', 1));
    const findings = grouper.result();
    expect(findings.map((f) => [f.rule.id, f.secret, f.occurrences.map((o) => `${o.path}:${o.line}`)])).toEqual([
      ['acme-key', 'acme_one', ['a.ts:1', 'b.ts:7']],
      ['acme-key', 'acme_two', ['a.ts:2']],
      ['other-key', 'acme_one', ['a.ts:1']],
    ]);
    expect(findings[0]!.lineTexts).toEqual(['x acme_one', 'x acme_one']);
  });

  it('drops an occurrence seen twice at the same place, but keeps the same place in another commit', () => {
    const grouper = new FindingGrouper(new Map([[rule.id, rule]]));
    grouper.add(candidate('acme-key', 'acme_one', 'a.ts', 1));
    grouper.add(candidate('acme-key', 'acme_one', 'a.ts', 1));
    grouper.add(candidate('acme-key', 'acme_one', 'a.ts', 1, 'c0ffee'));
    expect(grouper.result()[0]!.occurrences).toHaveLength(2);
  });
});

describe('finding ids', () => {
  it('are stable, differ by rule and by secret, and do not contain the secret', () => {
    expect(findingId('acme-key', 'acme_one')).toBe(findingId('acme-key', 'acme_one'));
    expect(findingId('acme-key', 'acme_one')).not.toBe(findingId('other-key', 'acme_one'));
    expect(findingId('acme-key', 'acme_one')).not.toBe(findingId('acme-key', 'acme_two'));
    // The separator keeps "a" + "bc" and "ab" + "c" apart.
    expect(findingId('a', 'bc')).not.toBe(findingId('ab', 'c'));
    expect(findingId('acme-key', 'acme_one')).toMatch(/^[0-9a-f]{32}$/);
    expect(secretHash('x')).toBe('sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881');
  });
});
