/**
 * src/ci/yaml-plain.ts, the hand-written parser for plain CI YAML: whatever it accepts, it must turn into
 * exactly the tree the general path (the `yaml` package and YamlConverter) makes, spans included, and it
 * must decline what that path rejects. Held to that on every YAML file of the repository, on generated
 * documents (valid ones and mutated ones), and on the cases where `yaml` counts spans in ways of its own.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml, parseYamlGeneral } from '../../src/ci/tree.js';
import { parsePlainYaml } from '../../src/ci/yaml-plain.js';
import { Rng } from '../helpers/random.js';
import { runScript } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The general path's trees, or 'error' when it rejects the text. */
function general(text: string) {
  try {
    return parseYamlGeneral(text);
  } catch {
    return 'error' as const;
  }
}

/** The one property: the plain parser declines, or agrees with the general path exactly. */
function expectAgreement(text: string, where: string): 'accepted' | 'declined' {
  const plain = parsePlainYaml(text);
  const expected = general(text);
  if (plain === undefined) return 'declined';
  expect(expected, `${where}: the plain parser accepted what yaml rejects`).not.toBe('error');
  expect(plain, where).toStrictEqual(expected);
  return 'accepted';
}

function yamlFiles(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder)) {
    if (name === 'node_modules' || name === '.git' || name === 'dist') continue;
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...yamlFiles(path));
    else if (/\.ya?ml$/i.test(name)) found.push(path);
  }
  return found;
}

describe('parsePlainYaml against the general path', () => {
  it("agrees on every YAML file of the repository (CI fixtures, rules, docs, the project's own)", () => {
    const files = yamlFiles(ROOT);
    expect(files.length).toBeGreaterThan(100);
    const outcomes = files.map((path) => expectAgreement(readFileSync(path, 'utf8'), relative(ROOT, path)));
    // It is used: most of them are plain YAML.
    expect(outcomes.filter((outcome) => outcome === 'accepted').length).toBeGreaterThan(files.length / 2);
  });

  it('takes a typical workflow, comments, blank lines, flow collections and block scalars included', () => {
    const workflow = [
      '---',
      '# Build and test',
      'name: CI',
      'on:',
      '  push:',
      '    branches: [main, "release/*"]',
      '  workflow_dispatch:',
      '',
      'permissions: { contents: read }',
      'jobs:',
      '  test:',
      '    runs-on: ${{ matrix.os }}',
      '    strategy:',
      '      matrix:',
      '        os: [ubuntu-latest, windows-latest]',
      '        node: [18, 20.5]',
      '    env:',
      '      NPM_TOKEN: ${{ secrets.NPM_TOKEN }} # from the org',
      '      DEBUG: false',
      '    steps:',
      '      # Check out first',
      '      - uses: actions/checkout@v4',
      '      - name: Install',
      "        run: 'npm ci'",
      '      - run: |',
      '          npm test',
      '',
      '          npm run lint',
      '      - run: >-',
      '          echo done',
      '          now',
      'empty:',
      '',
    ].join('\n');
    expect(expectAgreement(workflow, 'workflow')).toBe('accepted');
    expect(parseYaml(workflow)).toStrictEqual(parseYamlGeneral(workflow));
  });

  // Spans `yaml` counts its own way, and syntax outside the subset: declined, and parseYaml still right.
  it.each([
    ['a comment indented past the collection after the last value', 'a:\n  b: 1\n    # c\n'],
    ['a trailing comment deeper than column 0 at the end', 'a: b\n  # c\n'],
    ['a comment after a null value', 'on:\n  push:\n  # c\njobs: 1\n'],
    ['a comment on a null value', 'a:\n  - b: # c\n  - x\n'],
    ['an empty item before a dedent', 'a:\n  - x\n  -\nb: 1\n'],
    ['an empty item at the end', '- x\n-\n'],
    ['an escape in a double-quoted key', '"a\\tb": 1\n'],
    ['an escape in a double-quoted value', 'a: "x\\ny"\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', "a: 'one\n  two'\n"],
    ['a multi-line flow sequence', 'a: [1,\n  2]\n'],
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a merge key', 'base: &b\n  x: 1\njob:\n  <<: *b\n'],
    ['a tag', 'a: !reference [x, y]\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a tab', 'a:\n\tb: 1\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a kept block scalar', 'a: |+\n  x\n\nb: 1\n'],
    ['an explicit indentation indicator', 'a: |2\n   x\n'],
    ['a folded scalar with a blank line', 'a: >\n  x\n\n  y\n'],
    ['a hexadecimal number', 'a: 0x1F\n'],
    ['an infinity', 'a: .inf\n'],
    ['a key with a space before its colon', 'a : 1\n'],
    ['a nested mapping on one line (an error)', 'a: b: c\n'],
    ['a bad indentation (an error)', 'a:\n  b: 1\n c: 2\n'],
    ['an unclosed flow sequence (an error)', 'a: [1, 2\n'],
    ['a trailing comma in a flow sequence', 'a: [1, 2, ]\n'],
    ['nothing but comments', '# only\n'],
    ['nesting deeper than real CI files go', Array.from({ length: 100 }, (_, depth) => `${' '.repeat(depth)}a:`).join('\n') + ' 1\n'],
  ])('declines %s', (_what, text) => {
    expect(parsePlainYaml(text)).toBeUndefined();
    const expected = general(text);
    if (expected === 'error') expect(() => parseYaml(text)).toThrow();
    else expect(parseYaml(text)).toStrictEqual(expected);
  });

  it.each([
    ['a null value followed by blank lines', 'on:\n  workflow_dispatch:\n\n\njobs:\n  a: 1\n'],
    ['comments no deeper than the next line', 'a:\n  b: 1\n  # c\n  d: 2\n# e\nf:\n  # g\n  - x\n'],
    ['a comment at column 0 at the end', 'a:\n  b: 1\n# c\n'],
    ['the end of the text without a newline', 'a:\n  - x\n  - y'],
    ['empty items between items', 'a:\n  - x\n  -\n\n  - y\n'],
    ['typed keys and values', '1: true\nnull: ~\n2.50: +0\nTrue: 007\n.5: 1e3\nn: -1\nz: -0\n'],
    ['plain values that start with a dash', 'args: --verbose -x\nsteps:\n  - -rf\n  - [-a, -2]\n'],
    ['quotes', "a: 'it''s'\nb: \"x y\"\n'c': \"\"\n"],
    ['a compact map in a sequence', '- name: a\n  with:\n    x: 1\n- b\n'],
    ['an indentless sequence', 'steps:\n- uses: x\n- run: y\nnext: 1\n'],
    ['flow maps', 'a: {}\nb: { x: 1, "y": two }\nc:\n  - { os: linux, arch: x64 }\n'],
    ['block scalars with blank lines inside and after', 'a: |\n  x\n\n  y\n\n\nb: |-\n  z\n'],
    ['a leading document marker', '# c\n---\n# d\nname: x\n'],
  ])('takes %s, exactly as the general path', (_what, text) => {
    expect(expectAgreement(text, text)).toBe('accepted');
  });

  it('agrees on generated documents, valid and mutated (seeded)', () => {
    const rng = new Rng(20_261_126);
    const outcomes = { accepted: 0, declined: 0 };
    for (let i = 0; i < 1500; i++) {
      const document = generateDocument(rng);
      outcomes[expectAgreement(document, JSON.stringify(document))]++;
      const mutated = mutate(document, rng);
      outcomes[expectAgreement(mutated, JSON.stringify(mutated))]++;
    }
    expect(outcomes.accepted).toBeGreaterThan(1000);
  });
});

describe('the yaml package, loaded on demand', () => {
  // In a process of its own: the test setup loads the package up front for the synchronous callers.
  it('is not loaded by a scan whose CI files are plain, and is loaded for one that is not', () => {
    const source = `
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareScan, scan } from '{{src}}scan.ts';
import { isYamlPackageLoaded } from '{{src}}ci/tree.ts';
const step = 'on: push\\njobs:\\n  a:\\n    runs-on: ubuntu-latest\\n    steps:\\n      - run: echo \${{ secrets.DEPLOY_TOKEN }}\\n';
async function ciScan(files) {
  // Beside this script, in the test's temp folder: removed with it.
  const root = mkdtempSync(join(dirname(fileURLToPath(import.meta.url)), 'yaml-lazy-'));
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, '.github', 'workflows', name), text);
  const result = await scan({ kind: 'ci', cwd: root, targets: [root] }, await prepareScan({ cwd: root }));
  return { rules: result.findings.map((finding) => finding.rule.id).sort(), errors: result.errors };
}
const plain = await ciScan({ 'plain.yml': step });
const plainLoaded = isYamlPackageLoaded();
// An anchor: outside the plain subset, so the yaml package reads it.
const anchored = await ciScan({ 'anchored.yml': step.replace('runs-on: ubuntu-latest', 'runs-on: &os ubuntu-latest') });
console.log(JSON.stringify({ plain, plainLoaded, anchored, anchoredLoaded: isYamlPackageLoaded() }));
`;
    const run = runScript(source);
    return run.then(({ stdout, stderr, status }) => {
      expect(status, stderr).toBe(0);
      const { plain, plainLoaded, anchored, anchoredLoaded } = JSON.parse(stdout.trim().split('\n').pop()!);
      expect(plain.errors).toEqual([]);
      expect(plain.rules).toContain('ci-secret-in-logs');
      expect(plainLoaded).toBe(false);
      expect(anchored).toEqual(plain);
      expect(anchoredLoaded).toBe(true);
    });
  });
});

// ------------------------------------------------------------------ documents to hold the two parsers to

const WORDS = ['a', 'name', 'run', 'on', 'true', 'null', '1.10', '007', 'x y', 'npm ci', '${{ secrets.K }}', 'v#1', 'a:b', 'http://x', '~', 'TRUE', '1e3', '.5', '+7', '-x', '--flag v', '-1', '-0', '-.5', '- x', '-'];
const KEYS = ['a', 'b', 'key', 'on', '1', 'true', "'q'", '"dq"', 'x-y', 'k k', 'uses', 'with'];

function generateDocument(rng: Rng): string {
  const markers = ['', '', '', '', '---\n', '# c\n---\n'];
  let text = rng.pick(markers) + (block(rng, 0, 0) || 'a: b\n') + gap(rng, 0);
  if (rng.float() < 0.1) text = text.replace(/\n$/, '');
  return text;
}

function mutate(text: string, rng: Rng): string {
  let out = text;
  for (let edit = 0; edit < 1 + rng.int(3); edit++) {
    const at = rng.int(out.length + 1);
    out = rng.float() < 0.5 ? out.slice(0, at) + rng.pick([...' :-#\n"\'[]{}|>x,&*!?%@`\\']) + out.slice(at) : out.slice(0, at) + out.slice(at + 1);
  }
  return out;
}

function scalar(rng: Rng): string {
  const roll = rng.float();
  if (roll < 0.6) return rng.pick(WORDS);
  if (roll < 0.72) return `'${rng.pick(WORDS)}'`;
  if (roll < 0.82) return `"${rng.pick(WORDS)}"`;
  const items = ['a', '"b"', "'c'", '1', 'x y', '-a', '-2', '-'];
  if (roll < 0.92) return `[${Array.from({ length: rng.int(3) }, () => rng.pick(items)).join(rng.pick([', ', ',', ' , ']))}]`;
  const pairs = Array.from({ length: rng.int(3) }, () => `${rng.pick(items)}${rng.pick([': ', ':  ', ':', ' : '])}${rng.pick(['v', '"w"', '2', 'x y', 'true'])}`);
  return `{${rng.pick(['', ' '])}${pairs.join(rng.pick([', ', ',', ' , ']))}${rng.pick(['', ' '])}}`;
}

/** Blank lines and comment lines at any column, as real files have them between entries. */
function gap(rng: Rng, indent: number): string {
  let text = '';
  while (rng.float() < 0.25) text += rng.float() < 0.5 ? '\n' : `${' '.repeat(rng.int(indent + 4))}# ${rng.pick(['x', 'y: z'])}\n`;
  return text;
}

function block(rng: Rng, indent: number, depth: number): string {
  const roll = rng.float();
  if (depth > 3 || roll < 0.15) return '';
  let text = '';
  for (let i = 0; i < 1 + rng.int(3); i++) {
    text += gap(rng, indent) + ' '.repeat(indent);
    text += roll < 0.55 ? `${rng.pick(KEYS)}:${value(rng, indent, depth)}` : item(rng, indent, depth);
  }
  return text;
}

function value(rng: Rng, indent: number, depth: number): string {
  const roll = rng.float();
  if (roll < 0.45) return ` ${scalar(rng)}${rng.float() < 0.3 ? ` # ${rng.pick(['c', 'note: x'])}` : ''}\n`;
  if (roll < 0.55) return `${rng.pick(['', '   ', ' # c'])}\n`;
  if (roll < 0.68) {
    const contentIndent = indent + 2 + rng.int(2);
    let body = '';
    for (let i = 0; i < 1 + rng.int(3); i++) body += `${rng.float() < 0.2 ? '\n' : ''}${' '.repeat(contentIndent)}${rng.pick(['echo hi', 'x', '# not a comment', 'a: b'])}\n`;
    return ` ${rng.pick(['|', '|-', '>', '>-'])}\n${body}`;
  }
  const child = block(rng, indent + 2, depth + 1);
  return child ? `\n${child}` : ` ${scalar(rng)}\n`;
}

function item(rng: Rng, indent: number, depth: number): string {
  const roll = rng.float();
  if (roll < 0.4) {
    const second = rng.float() < 0.5 ? `${' '.repeat(indent + 2)}${rng.pick(['c', 'with'])}:${value(rng, indent + 2, depth + 1)}` : '';
    return `- ${rng.pick(['a', 'uses', 'b'])}:${value(rng, indent + 2, depth + 1)}${second}`;
  }
  if (roll < 0.6) {
    const child = block(rng, indent + 2, depth + 1);
    return child ? `-${rng.float() < 0.3 ? ' # c' : ''}\n${child}` : '- x\n';
  }
  return `-${value(rng, indent, depth)}`;
}
