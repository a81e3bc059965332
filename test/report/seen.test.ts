import { describe, expect, it } from 'vitest';
import { firstAndLastSeen } from '../../src/report/seen.js';
import type { Occurrence } from '../../src/types.js';

const at = (commit: string, date?: string): Occurrence => ({ path: 'a.ts', line: 1, column: 1, endLine: 1, endColumn: 2, source: 'history', commit, ...(date ? { date } : {}) });

describe('firstAndLastSeen', () => {
  it.each([
    ['dates in order', [at('a', '2024-01-01T00:00:00Z'), at('b', '2024-02-01T00:00:00Z')], 'a', 'b'],
    ['arrival order newest first (git log)', [at('b', '2024-02-01T00:00:00Z'), at('a', '2024-01-01T00:00:00Z')], 'a', 'b'],
    // 09:00+05:00 is 04:00Z: earlier than 05:00Z although its text sorts after it.
    ['offsets that make text order wrong', [at('z', '2024-03-01T05:00:00+00:00'), at('y', '2024-03-01T09:00:00+05:00')], 'y', 'z'],
    ['equal instants, broken by commit id', [at('d', '2024-01-01T01:00:00+01:00'), at('c', '2024-01-01T00:00:00Z')], 'c', 'd'],
    ['undated occurrences ignored', [at('e'), at('f', '2024-01-01T00:00:00Z')], 'f', 'f'],
  ])('%s', (_name, occurrences, first, last) => {
    const { firstSeen, lastSeen } = firstAndLastSeen(occurrences);
    expect([firstSeen?.commit, lastSeen?.commit]).toEqual([first, last]);
  });

  it('is null for occurrences without commits (files, stdin)', () => {
    expect(firstAndLastSeen([{ path: 'a', line: 1, column: 1, endLine: 1, endColumn: 2, source: 'worktree' }])).toEqual({ firstSeen: null, lastSeen: null });
  });
});
