/**
 * Fuzzing the CI checks' YAML and JSON reading (runCiChecks, issue #8): token soup for every platform's
 * files, random documents in odd encodings, alias bombs and deep nesting of growing size. Nothing may
 * throw, every result must point inside the text, and the time must grow linearly with the text, never
 * with what aliases expand to. test/ci/robustness.test.ts holds the fixed hostile documents; this adds
 * generated ones and the growth checks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCiChecks, type CiCheckResult } from '../../src/ci/index.js';
import { scan } from '../../src/scan.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree } from '../helpers/tmp.js';
import { fcParams, linearGrowth } from './fuzz-helpers.js';
import { CI_CONFIG_PATHS as PATHS } from '../helpers/ci-paths.js';

const YAML_PATHS = PATHS.filter((path) => /\.ya?ml$/.test(path));

function checked(path: string, text: string): CiCheckResult {
  const result = runCiChecks({ path, text });
  for (const candidate of result.candidates) {
    expect(candidate.start >= 0 && candidate.start <= candidate.end && candidate.end <= text.length, `${candidate.ruleId} span`).toBe(true);
    expect(candidate.line >= 1 && candidate.column >= 1 && candidate.endLine >= candidate.line).toBe(true);
  }
  for (const [start, end] of result.safeSpans) expect(start >= 0 && start <= end && end <= text.length).toBe(true);
  for (const error of result.errors) {
    expect(error.path).toBe(path);
    expect(error.message).not.toMatch(/[\r\n]/);
  }
  return result;
}

const faker = createFaker(0xc1);
const SECRETS = ['github:ghp', 'aws-key-id', 'aws-secret', 'npm', 'password:16'].map((kind) => faker.make(kind));

const YAML_TOKENS = [
  '\n', '\n  ', '\n    ', '\n- ', '  ', '\t', '- ', ': ', ':', '? ', ', ', '[', ']', '{', '}', '"', "'", '|', '|-', '>', '>+', '#', ' #c',
  '&a ', '&b ', '*a', '*b', '<<: ', '<<: *a', '<<: [*a, *b]', '!!binary ', '!reference ', '!Ref ', '!!str ', '%YAML 1.2\n', '---\n', '...\n',
  '\r\n', '\r', '\0', '\uFEFF', '\u2028', '\\', '%', '@', '`',
  'on', 'jobs', 'steps', 'run', 'uses', 'with', 'env', 'variables', 'script', 'image', 'services', 'secrets', 'permissions', 'write-all',
  'pull_request_target', 'actions/checkout@v4', 'ref', '${{ github.event.pull_request.head.sha }}', '${{ secrets.TOKEN }}', '${{ toJSON(secrets) }}',
  'password', 'token', 'AWS_ACCESS_KEY_ID', 'docker login -u u -p ', 'echo $TOKEN', 'https://user:pw@host', 'mcpServers', 'command', 'args',
  'headers', 'Authorization', 'Bearer ', 'secure', 'from_secret', 'credentials(\'x\')', 'pipeline', 'environment', 'sh "', '"""',
  ...SECRETS,
];

const soup = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...YAML_TOKENS) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) }), { maxLength: 300 }).map((parts) => parts.join(''));

/** Random JSON-like documents with CI-ish keys, written as YAML (block or flow) or JSON. */
const ciKey = fc.constantFrom('on', 'jobs', 'steps', 'run', 'uses', 'with', 'env', 'variables', 'script', 'image', 'services', 'mcpServers', 'command', 'args', 'headers', 'permissions', 'password', 'token', 'x');
const ciValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...SECRETS, '${{ secrets.X }}', 'echo $TOKEN', 'docker login -p hunter2hunter2', null, true, 3, ''),
    fc.string({ maxLength: 30 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(ciKey, tie('value'), { maxKeys: 6 }),
  ),
}));

describe('CI checks under random input', () => {
  it('never throw on token soup, for every platform\u2019s files', () => {
    fc.assert(
      fc.property(soup, (text) => {
        for (const path of PATHS) checked(path, text);
      }),
      fcParams(120),
    );
  });

  it('never throw on random documents in any form: block or flow YAML, JSON, CRLF, lone CR, BOM, NULs', () => {
    const form = fc.constantFrom('block', 'flow', 'json', 'crlf', 'cr', 'bom', 'nul');
    fc.assert(
      fc.property(ciValue.value, form, fc.constantFrom(...PATHS), (value, how, path) => {
        let text = how === 'json' || path.endsWith('.json') ? JSON.stringify(value, null, 2) ?? '' : stringify(value, { collectionStyle: how === 'flow' ? 'flow' : 'any' });
        if (how === 'crlf') text = text.replace(/\n/g, '\r\n');
        if (how === 'cr') text = text.replace(/\n/g, '\r');
        if (how === 'bom') text = `\uFEFF${text}`;
        if (how === 'nul') text = text.replace(/ /g, '\0');
        checked(path, text);
      }),
      fcParams(300),
    );
  });
});

/**
 * A billion-laughs document: `levels` anchors, each a map and a list referring `width` times to the one
 * before, with leaves that CI checks look at (a script with a secret, an `env`), and the top one used
 * where each platform looks (jobs, steps, env, script, variables, pipelines, mcpServers).
 */
function aliasBomb(levels: number, width = 8): string {
  const lines = ['x0: &x0 {run: "echo ${{ secrets.TOKEN }}; docker login -p hunter2hunter2", env: {TOKEN: "hunter2hunter2"}, script: ["curl https://u:p4ssw0rd@example.com"]}'];
  for (let level = 1; level <= levels; level++) {
    const refs = Array.from({ length: width }, () => `*x${level - 1}`).join(', ');
    const keys = Array.from({ length: width }, (_, i) => `k${i}: *x${level - 1}`).join(', ');
    lines.push(`x${level}: &x${level} {steps: [${refs}], env: *x${level - 1}, <<: *x${level - 1}, ${keys}}`);
  }
  const top = `*x${levels}`;
  lines.push(
    `on: [push, pull_request_target]`,
    `jobs: {build: {runs-on: ubuntu-latest, steps: [${top}, ${top}], env: ${top}, services: ${top}}, test: ${top}}`,
    `variables: ${top}`,
    `script: [${top}]`,
    `pipelines: {default: [${top}], branches: ${top}}`,
    `steps: [${top}]`,
    `mcpServers: ${top}`,
    `spec: {tasks: [${top}], steps: [${top}]}`,
    `blocks: [${top}]`,
  );
  return `${lines.join('\n')}\n`;
}

/** Nested maps, lists and flow collections `depth` deep, with values at every level. */
function nested(depth: number, kind: 'block' | 'flow' | 'json'): string {
  if (kind === 'json') return `${'{"mcpServers": ['.repeat(depth)}"x"${']}'.repeat(depth)}`;
  if (kind === 'flow') return `jobs: ${'{a: ['.repeat(depth)}x${']}'.repeat(depth)}\n`;
  const lines: string[] = [];
  for (let i = 0; i < depth; i++) lines.push(`${'  '.repeat(i)}k${i}:`, `${'  '.repeat(i + 1)}run: echo ${i}`);
  return `jobs:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
}

describe('CI checks grow with the text, not with what it expands to', () => {
  it.each(YAML_PATHS)('alias bombs in %s', (path) => {
    // Each level multiplies the expanded size by ~10; 4× the levels is ~4× the text. Expanding it even
    // once would never finish.
    const texts = new Map([4, 16].map((levels) => [levels, aliasBomb(levels)]));
    const growth = linearGrowth((levels) => checked(path, texts.get(levels)!), 4);
    expect(growth.linear, JSON.stringify(growth)).toBe(true);
  });

  it.each(YAML_PATHS)('many aliases of one anchor in %s', (path) => {
    const text = (aliases: number) => `x: &x {run: "echo $TOKEN", env: {TOKEN: "\${{ secrets.T }}"}}\njobs: {b: {steps: [${Array(aliases).fill('*x').join(', ')}]}}\nscript: [${Array(aliases).fill('*x').join(', ')}]\n`;
    const texts = new Map([1500, 6000].map((n) => [n, text(n)]));
    const growth = linearGrowth((n) => checked(path, texts.get(n)!), 1500);
    expect(growth.linear, JSON.stringify(growth)).toBe(true);
  });

  it.each([
    ['.gitlab-ci.yml', 'block'],
    ['.github/workflows/ci.yml', 'flow'],
    ['azure-pipelines.yml', 'block'],
    ['.mcp.json', 'json'],
    ['cloudbuild.json', 'json'],
  ] as const)('deep nesting in %s (%s)', (path, kind) => {
    const texts = new Map([1000, 4000].map((depth) => [depth, nested(depth, kind)]));
    const growth = linearGrowth((depth) => {
      const result = checked(path, texts.get(depth)!);
      // Past the parser's depth limit the file is reported and skipped for CI checks, never a crash.
      expect(result.errors.length + result.candidates.length).toBeGreaterThanOrEqual(0);
    }, 1000);
    expect(growth.linear, JSON.stringify(growth)).toBe(true);
  });

  it('a long workflow: 4× the steps, about 4× the time', () => {
    const workflow = (steps: number) =>
      `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n${Array.from({ length: steps }, (_, i) => `      - run: echo ${i} "$TOKEN"\n        env:\n          TOKEN: \${{ secrets.T${i % 50} }}\n`).join('')}`;
    const texts = new Map([1000, 4000].map((n) => [n, workflow(n)]));
    const growth = linearGrowth((n) => checked('.github/workflows/long.yml', texts.get(n)!), 1000);
    expect(growth.linear, JSON.stringify(growth)).toBe(true);
  });
});

describe('regressions', () => {
  it('regression: an alias-dense workflow is read in linear time, not aliases × document size', () => {
    // yaml's Alias.resolve(document) walks the whole document per alias: 6,000 aliases took ~40 s.
    const text = (n: number) => `x: &x {run: echo}\non: push\njobs: {b: {runs-on: ubuntu-latest, steps: [${Array(n).fill('*x').join(', ')}]}}\n`;
    const texts = new Map([1500, 6000].map((n) => [n, text(n)]));
    const growth = linearGrowth((n) => expect(checked('.github/workflows/ci.yml', texts.get(n)!).errors).toEqual([]), 1500);
    expect(growth.linear, JSON.stringify(growth)).toBe(true);
  });

  it('regression: a parse error that quotes a lone CR is still one line (npm run fuzz, seed 1569569423)', () => {
    // yaml's message quotes the bad token, `\r>` here; the first line was cut at LF only.
    for (const path of PATHS) {
      for (const text of ['>+\r>', 'on: push\r\njobs: [\r', 'a: "\r\u2028\r']) {
        for (const error of checked(path, text).errors) expect(error.message).not.toMatch(/[\r\n\u2028\u2029]/);
      }
    }
  });
});

describe('CI files through a whole scan', () => {
  it('an alias bomb, deep nesting and broken encodings in CI files end as errors or findings, and the scan goes on', async () => {
    const root = await tempTree({
      '.github/workflows/bomb.yml': aliasBomb(20),
      '.gitlab-ci.yml': nested(5000, 'flow'),
      '.mcp.json': nested(5000, 'json'),
      '.github/workflows/utf16.yml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`on: push\nenv:\n  TOKEN: ${SECRETS[0]}\n`, 'utf16le')]),
      '.github/workflows/invalid-utf8.yml': Buffer.concat([Buffer.from('on: push\nenv:\n  A: "\xff\xfe\xc3"\n', 'latin1'), Buffer.from(`  GH: ${SECRETS[0]}\n`)]),
      '.github/workflows/crlf.yml': `on: push\r\njobs:\r\n  a:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n      - run: echo\r\n        env:\r\n          NPM: ${SECRETS[3]}\r\n`,
      'src/app.ts': `const key = "${SECRETS[1]}";\n`,
    });
    const started = performance.now();
    const result = await scan({ kind: 'worktree', cwd: root });
    expect(performance.now() - started).toBeLessThan(60_000);
    const paths = new Set(result.findings.flatMap((finding) => finding.occurrences.map((o) => o.path)));
    // The files after the hostile ones were still read, and the CI files' secrets found.
    for (const path of ['src/app.ts', '.github/workflows/utf16.yml', '.github/workflows/invalid-utf8.yml', '.github/workflows/crlf.yml']) expect(paths).toContain(path);
    for (const error of result.errors) expect(error.message).not.toMatch(/[\r\n]/);
    expect(result.errors.map((error) => error.path).sort()).toEqual(['.gitlab-ci.yml', '.mcp.json']);
  });
});
