/**
 * --staged looks only around the added lines (around.ts). Whatever it finds there must be exactly what
 * the whole file, filtered to candidates touching those lines, finds: compared on a generated corpus of
 * every rule's secrets and look-alikes in many file kinds, for each candidate's first, last and middle
 * lines, and for arbitrary runs of lines. Then the cases that need more than the usual reach.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/accuracy/corpus.js';
import { detectAroundLines, planAround, type LineRange } from '../../src/detect/around.js';
import { Detector } from '../../src/detect/detector.js';
import { builtinRulesDir, compileRules, loadRuleSource } from '../../src/rules/load.js';
import type { Candidate } from '../../src/types.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { Rng } from '../helpers/random.js';
import { tempTree } from '../helpers/tmp.js';

const faker = createFaker(2611);
let detector: Detector;
let corpus: Buffer[];

beforeAll(async () => {
  const rules = await loadRuleSource(builtinRulesDir(), { builtin: true });
  detector = new Detector(await compileRules(rules));
  const dir = await tempTree();
  generateCorpus(dir, rules, { seed: 2611, perRule: 2 });
  corpus = [...files(dir)].map((path) => readFileSync(path));
});

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

const origin = { path: 'x', source: 'staged' } as const;
const key = (c: Candidate) => `${c.ruleId}@${c.line}:${c.column}-${c.endLine}:${c.endColumn}=${c.secret}`;

function wholeFile(bytes: Buffer, lines: readonly LineRange[]): string[] {
  return detector
    .detect({ origin, bytes })
    .filter((c) => lines.some(([first, last]) => first <= c.endLine && c.line <= last))
    .map(key)
    .sort();
}

function around(bytes: Buffer, lines: readonly LineRange[]): string[] {
  return detectAroundLines(detector, { origin, bytes }, lines).map(key).sort();
}

/** `count` lines of ordinary code, about 40 bytes each. */
function filler(count: number, from = 0): string {
  return Array.from({ length: count }, (_, i) => `export const value${from + i} = compute(${from + i}, 'label');\n`).join('');
}

describe('detectAroundLines', () => {
  it('finds what the whole file finds on the same lines, over the generated corpus', () => {
    const rng = new Rng(5);
    let compared = 0;
    let found = 0;
    for (const bytes of corpus) {
      const lineCount = bytes.toString('latin1').split('\n').length;
      const ranges: LineRange[][] = [[[lineCount, lineCount]], [[1 + rng.int(lineCount), 1 + rng.int(lineCount)].sort((a, b) => a - b) as [number, number]]];
      for (const candidate of detector.detect({ origin, bytes })) {
        const middle = (candidate.line + candidate.endLine) >> 1;
        ranges.push([[candidate.line, candidate.line]], [[candidate.endLine, candidate.endLine]], [[middle, middle]], [[1, 1], [candidate.endLine, candidate.endLine]]);
      }
      for (const lines of ranges) {
        const expected = wholeFile(bytes, lines);
        expect(around(bytes, lines), `${lines.join(' ')}\n${bytes.toString('utf8', 0, 300)}`).toEqual(expected);
        compared++;
        found += expected.length;
      }
    }
    // Meaningful only if the corpus was real and the candidates many.
    expect(compared).toBeGreaterThan(3000);
    expect(found).toBeGreaterThan(2000);
  });

  it('looks at a stretch around the added lines of a large file, not the whole file', () => {
    const text = `${filler(2000)}const added = 1;\n${filler(2000, 2000)}`;
    const bytes = Buffer.from(text);
    const stretches = planAround(bytes, [[2001, 2001]], detector.lineContext()).stretches!;
    expect(stretches).toHaveLength(1);
    const [{ from, to, startLine }] = stretches as [{ from: number; to: number; startLine: number }];
    expect(text.slice(0, from).split('\n').length).toBe(startLine);
    expect(from).toBeLessThan(text.indexOf('const added'));
    expect(to).toBeGreaterThan(text.indexOf('const added') + 'const added = 1;\n'.length);
    expect(to - from).toBeLessThan(8 * 1024);
  });

  it('finds a secret on an added line with the line number of the staged file, and nothing on the other lines', () => {
    const token = faker.make('github:ghp');
    const text = `${filler(3000)}const token = "${token}";\n${filler(500, 3000)}const other = "${faker.make('github:ghp')}";\n`;
    const found = detectAroundLines(detector, { origin, bytes: Buffer.from(text) }, [[3001, 3001]]);
    expect(found.map((c) => [c.ruleId, c.secret, c.line, c.column])).toEqual([['github-pat-classic', token, 3001, 16]]);
  });

  it('finds a private key whose only added line is deep in its body, far from its header', () => {
    // A 4096-bit key's length: its header is further from its last lines than any single-line window reaches.
    const [header, ...rest] = faker.make('pem:RSA PRIVATE KEY').split('\n');
    const body = rest.slice(0, -2);
    const pemLines = [header!, ...body, ...body, ...body, ...rest];
    const text = `${filler(1500)}${pemLines.join('\n')}\n${filler(1500, 1500)}`;
    const endLine = 1500 + pemLines.length;
    const lineStart = (line: number) => text.split('\n').slice(0, line - 1).join('\n').length + 1;
    expect(lineStart(endLine - 1) - text.indexOf('-----BEGIN')).toBeGreaterThan(detector.lineContext().reach);
    for (const added of [endLine - 1, endLine, 1501 + (pemLines.length >> 1)]) {
      const lines: LineRange[] = [[added, added]];
      const expected = wholeFile(Buffer.from(text), lines);
      expect(expected).toHaveLength(1);
      expect(around(Buffer.from(text), lines)).toEqual(expected);
    }
  });

  it('scans a Kubernetes Secret whole: every line of one is decoded, wherever its kind is', () => {
    const token = faker.make('github:ghp');
    const text = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\n${'  # padding\n'.repeat(400)}data:\n  github-token: ${Buffer.from(token).toString('base64')}\n`;
    const bytes = Buffer.from(text);
    expect(planAround(bytes, [[406, 406]], detector.lineContext()).stretches).toBeUndefined();
    expect(detectAroundLines(detector, { origin, bytes }, [[406, 406]]).map((c) => [c.secret, c.decoded, c.line])).toEqual([[token, 'base64', 406]]);
  });

  it('takes Git\u2019s line numbers (LF only) and reports the detector\u2019s (a lone CR ends a line too)', () => {
    const token = faker.make('github:ghp');
    // Git sees the first 100 lines (99 ended by a lone CR, the last by CRLF) as one: the token is on its line 202.
    const text = `${filler(100).replaceAll('\n', '\r')}\n${filler(200)}const token = "${token}";\n`;
    const bytes = Buffer.from(text);
    const expected = detector.detect({ origin, bytes }).map(key);
    expect(expected).toEqual([expect.stringMatching(/^github-pat-classic@301:/)]);
    expect(planAround(bytes, [[1, 1], [202, 202]], detector.lineContext()).lines).toEqual([[1, 100], [301, 301]]);
    expect(detectAroundLines(detector, { origin, bytes }, [[202, 202]]).map(key)).toEqual(expected);
    expect(detectAroundLines(detector, { origin, bytes }, [[201, 201]])).toEqual([]);
  });

  it('joins stretches that meet and keeps apart those that do not', () => {
    const text = filler(6000);
    const stretches = planAround(Buffer.from(text), [[10, 10], [20, 25], [3000, 3000], [5990, 6000]], detector.lineContext()).stretches!;
    expect(stretches.map((stretch) => stretch.startLine)).toEqual([1, expect.any(Number), expect.any(Number)]);
    for (let i = 1; i < stretches.length; i++) expect(stretches[i]!.from).toBeGreaterThan(stretches[i - 1]!.to);
    expect(stretches.at(-1)!.to).toBe(text.length);
  });
});
