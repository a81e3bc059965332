import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectLineHashes, lineHashes, lineHashKey } from '../../src/report/line-hash.js';

/**
 * Expected values from the tests GitHub publishes with codeql-action (src/fingerprints.test.ts): if these
 * hold, code scanning computes the same primaryLocationLineHash as we do and does not warn.
 */
const GITHUB_VECTORS: [string, string, string[]][] = [
  ['an empty file', '', ['c129715d7a2bc9a3:1']],
  ['leading blanks and no final newline', ' a\nb\n  \t\tc\n d', ['271789c17abda88f:1', '54703d4cd895b18:1', '180aee12dab6264:1', 'a23a3dc5e078b07b:1']],
  [
    'blank lines, no final newline',
    ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End',
    ['8b7cf3e952e7aeb2:1', 'b1ae1287ec4718d9:1', 'bff680108adb0fcc:1', 'c6805c5e1288b612:1', 'b86d3392aea1be30:1', 'e6ceba753e1a442:1'],
  ],
  ...(['\n', '\r', '\r\n'] as const).map((newline): [string, string, string[]] => [
    `${JSON.stringify(newline)} line ends`,
    ` hello; \t${newline}world!!!${newline}${newline}${newline}  \t\tGreetings${newline} End${newline}`,
    ['e9496ae3ebfced30:1', 'fb7c023a8b9ccb3f:1', 'ce8ba1a563dcdaca:1', 'e20e36e16fcb0cc8:1', 'b3edc88f2938467e:1', 'c8e28b0b4002a3a0:1', 'c129715d7a2bc9a3:1'],
  ]),
  ['mixed line ends', ' hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n', ['e9496ae3ebfced30:1', 'fb7c023a8b9ccb3f:1', 'ce8ba1a563dcdaca:1', 'e20e36e16fcb0cc8:1', 'b3edc88f2938467e:1', 'c8e28b0b4002a3a0:1', 'c129715d7a2bc9a3:1']],
  [
    'repeated lines, counted apart',
    'Lorem ipsum dolor sit amet.\n'.repeat(10),
    [
      ...[1, 2, 3, 4, 5, 6].map((n) => `a7f2ff13bc495cf2:${n}`),
      'a7f2ff1481e87703:1',
      'a9cf91f7bbf1862b:1',
      '55ec222b86bcae53:1',
      'cc97dc7b1d7d8f7b:1',
      'c129715d7a2bc9a3:1',
    ],
  ],
];

/** The definition, slowly: a base-37 polynomial over each line's 100-character window, in BigInt. */
function referenceHashes(text: string): string[] {
  const codes: number[] = [];
  const starts: number[] = [];
  let atLineStart = true;
  let afterCarriageReturn = false;
  for (const code of [...Array.from({ length: text.length }, (_, i) => text.charCodeAt(i)), 65535]) {
    if (code === 0x20 || code === 0x09 || (afterCarriageReturn && code === 0x0a)) {
      afterCarriageReturn = false;
      continue;
    }
    afterCarriageReturn = code === 0x0d;
    if (atLineStart) starts.push(codes.length);
    atLineStart = code === 0x0a || code === 0x0d;
    codes.push(code === 0x0d ? 0x0a : code);
  }
  const counts = new Map<string, number>();
  return starts.map((start) => {
    let hash = 0n;
    for (let i = 0; i < 100; i++) hash = BigInt.asUintN(64, hash * 37n + BigInt(codes[start + i] ?? 0));
    const value = hash.toString(16);
    counts.set(value, (counts.get(value) ?? 0) + 1);
    return `${value}:${counts.get(value)}`;
  });
}

describe('lineHashes', () => {
  it.each(GITHUB_VECTORS)('matches GitHub for %s', (_name, text, expected) => {
    expect(lineHashes(text)).toEqual(expected);
  });

  it('agrees with the plain definition on any text (64-bit arithmetic in halves)', () => {
    const text = fc.stringMatching(/^[ \t\r\nA-Za-z0-9=_"'{}\u00e9\u4e2d\uffff]{0,400}$/);
    fc.assert(
      fc.property(text, (value) => {
        expect(lineHashes(value)).toEqual(referenceHashes(value));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same hashes when it stops early at a line', () => {
    const text = Array.from({ length: 300 }, (_, i) => `line ${i % 7} = value${i % 5}`).join('\n');
    const all = lineHashes(text);
    expect(lineHashes(text, 120)).toEqual(all.slice(0, 120));
  });
});

describe('collectLineHashes', () => {
  it('reads each file version once and skips what cannot be read', async () => {
    const reads: string[] = [];
    const files: Record<string, string> = { 'a.ts\0': 'x = 1\ny = 2\n', 'a.ts\0c0ffee': 'old\ny = 2\n' };
    const hashes = await collectLineHashes(
      [
        { path: 'a.ts', line: 2 },
        { path: 'a.ts', line: 1 },
        { path: 'a.ts', line: 2, commit: 'c0ffee' },
        { path: 'gone.ts', line: 1 },
      ],
      ({ path, commit }) => {
        reads.push(`${path}@${commit ?? 'worktree'}`);
        return files[`${path}\0${commit ?? ''}`];
      },
    );
    expect(reads).toEqual(['a.ts@worktree', 'a.ts@c0ffee', 'gone.ts@worktree']);
    expect(hashes.get(lineHashKey({ path: 'a.ts', line: 1 }))).toBe(lineHashes('x = 1\ny = 2\n')[0]);
    expect(hashes.get(lineHashKey({ path: 'a.ts', line: 2, commit: 'c0ffee' }))).toBe(lineHashes('old\ny = 2\n')[1]);
    expect(hashes.has(lineHashKey({ path: 'gone.ts', line: 1 }))).toBe(false);
  });
});
