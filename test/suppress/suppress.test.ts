import { describe, expect, it } from 'vitest';
import { Allowlist, AllowlistError } from '../../src/suppress/allowlist.js';
import { isAllowedInline } from '../../src/suppress/inline.js';
import { suppress } from '../../src/suppress/suppress.js';
import type { Finding } from '../../src/types.js';
import { testRule } from '../helpers/rules.js';

describe('isAllowedInline', () => {
  it.each([
    ['key = "x" // secretscan:allow', 'acme-key', true],
    ['key = "x" # secretscan:allow acme-key -- test fixture', 'acme-key', true],
    ['key = "x" # secretscan:allow other-key,acme-key', 'acme-key', true],
    ['key = "x" # secretscan:allow other-key -- not this one', 'acme-key', false],
    ['key = "x" // gitleaks:allow', 'acme-key', true],
    ['key = "x"  # pragma: allowlist secret', 'acme-key', true],
    ['key = "x"', 'acme-key', false],
    ['key = "x" // secretscan: allow', 'acme-key', false],
  ])('%j allows %s: %s', (line, ruleId, expected) => {
    expect(isAllowedInline(line, ruleId)).toBe(expected);
  });
});

function finding(ruleId: string, secret: string, places: [string, string][]): Finding {
  return {
    id: `${ruleId}:${secret}`,
    rule: testRule({ id: ruleId, pattern: 'x' }),
    secret,
    secretHash: 'sha256:0',
    validated: [],
    entropy: 4,
    occurrences: places.map(([path]) => ({ path, line: 1, column: 1, endLine: 1, endColumn: 2, source: 'worktree' as const })),
    lineTexts: places.map(([, line]) => line),
  };
}

describe('suppress', () => {
  it('removes inline-allowed and allowlisted occurrences, keeps the rest, and counts occurrences', async () => {
    const allowlist = await Allowlist.create(
      { paths: ['fixtures/', '*.snap'], regexes: ['^acme_test_'], stopwords: ['dummy'], byRule: { 'other-key': { paths: ['docs/**'] } } },
      'config',
    );
    const { kept, suppressed } = suppress(
      [
        finding('acme-key', 'acme_live_1', [
          ['src/a.ts', 'x'],
          ['src/b.ts', 'x // secretscan:allow'],
          ['fixtures/deep/c.ts', 'x'],
          ['test/__snapshots__/x.snap', 'x'],
          ['docs/guide.md', 'x'],
        ]),
        finding('acme-key', 'acme_test_2', [['src/a.ts', 'x'], ['src/b.ts', 'x']]),
        finding('acme-key', 'acme_dummy_3', [['src/a.ts', 'x']]),
        finding('other-key', 'other_4', [['docs/guide.md', 'x'], ['src/c.ts', 'x']]),
      ],
      allowlist,
    );
    expect(kept.map((f) => [f.secret, f.occurrences.map((o) => o.path), f.lineTexts])).toEqual([
      ['acme_live_1', ['src/a.ts', 'docs/guide.md'], ['x', 'x']],
      ['other_4', ['src/c.ts'], ['x']],
    ]);
    expect(suppressed).toEqual({ baseline: 0, inline: 1, allowlist: 2 + 2 + 1 + 1 });
  });

  it('names the config key of an allowlist regex that is not RE2', async () => {
    await expect(Allowlist.create({ regexes: ['ok', '(?=lookahead)'] }, '/repo/.secretscanrc')).rejects.toThrow(AllowlistError);
    await expect(Allowlist.create({ regexes: ['ok', '(?=lookahead)'] }, '/repo/.secretscanrc')).rejects.toThrow(
      /^\/repo\/\.secretscanrc: allowlist\.regexes\[1\]: not valid RE2 syntax/,
    );
  });
});
