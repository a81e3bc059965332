/**
 * runCiChecks on hostile and degenerate input: it never throws, answers in bounded time, and every
 * candidate it returns points inside the text with consistent positions. Empty and odd documents, wrong
 * types where maps are expected, alias bombs, deep nesting, huge files, binary noise, and random mutations
 * of the fixtures (fast-check, seeded so failures reproduce).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CI_FILE_SIZE, runCiChecks, type CiCheckResult } from '../../src/ci/index.js';
import { CI_CONFIG_PATHS as PATHS } from '../helpers/ci-paths.js';


/** Checks the invariants of a result and returns it. */
function checked(path: string, text: string): CiCheckResult {
  const result = runCiChecks({ path, text });
  for (const candidate of result.candidates) {
    expect(candidate.start).toBeGreaterThanOrEqual(0);
    expect(candidate.end).toBeGreaterThanOrEqual(candidate.start);
    expect(candidate.end).toBeLessThanOrEqual(text.length);
    expect(candidate.line).toBeGreaterThanOrEqual(1);
    expect(candidate.column).toBeGreaterThanOrEqual(1);
    expect(candidate.endLine).toBeGreaterThanOrEqual(candidate.line);
    expect(candidate.origin.path).toBe(path);
  }
  for (const error of result.errors) {
    expect(error.path).toBe(path);
    expect(error.message).not.toContain('\n');
  }
  return result;
}

const DEGENERATE = [
  '',
  '   \n\t\n',
  '# only a comment\n',
  '---\n---\n...\n',
  'null\n',
  '~',
  'just a scalar',
  '- a\n- b\n',
  '[]',
  '{}',
  '\uFEFFon: push\n',
  'on: 3\njobs: 5\n',
  'jobs:\n  a: [1, 2]\n  b: "x"\n  c:\n    steps: {run: 1}\n',
  'jobs:\n  a:\n    steps:\n      - run: 42\n      - uses: 7\n        with: [1]\n',
  'variables: [1, {a: [2]}]\nbuild:\n  script: {a: b}\n  artifacts: 3\n',
  'pipelines:\n  default: {step: 1}\n  branches: [x]\n',
  'stages: [{stage: 1, jobs: "x"}]\nsteps: 3\n',
  '{"mcpServers": []}',
  '{"mcpServers": {"x": {"env": [1], "args": {"a": 1}, "headers": "h"}}}',
  'pipeline { environment { X = \'unterminated\n } }',
  'sh """\nnever closed',
  '[mcp_servers.x\nargs = [ "--api-key",\n',
  'a: !!binary aGVsbG8=\nb: !reference [.x, script]\nc: !Ref Thing\n',
  'key: &a value\nother: *undefined_anchor\n',
  'on:\n  <<: [*a, *b]\n',
  'a: |\n',
  'a: >-\n\n\n',
  '\u0000\u0001\u0002binary\u00ff\n',
];

describe('degenerate documents', () => {
  it.each(PATHS.flatMap((path) => DEGENERATE.map((text) => [path, text] as const)))('%s: %j', (path, text) => {
    expect(() => checked(path, text)).not.toThrow();
  });
});

describe('hostile documents', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 20; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const aliasBomb = `${bomb.join('\n')}\njobs:\n  t:\n    env: *t\n    steps: *s\n`;

  it.each([
    ['an alias bomb (billion laughs)', '.github/workflows/ci.yml', aliasBomb],
    ['the same bomb under GitLab', '.gitlab-ci.yml', aliasBomb],
    ['deeply nested flow sequences', '.gitlab-ci.yml', `${'['.repeat(20_000)}${']'.repeat(20_000)}`],
    ['deeply nested JSON', '.mcp.json', `${'['.repeat(20_000)}${']'.repeat(20_000)}`],
    ['deeply nested block maps', 'azure-pipelines.yml', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')],
    ['a 2 MB single line', '.travis.yml', `script: ${'echo $TOKEN; '.repeat(170_000)}`],
    ['deep Groovy braces', 'Jenkinsfile', `${'node { '.repeat(50_000)}${'} '.repeat(50_000)}`],
    ['a Groovy string full of interpolations', 'Jenkinsfile', `sh "${'${TOKEN}'.repeat(100_000)}"`],
  ])('%s', (_name, path, text) => {
    const started = performance.now();
    expect(() => checked(path, text)).not.toThrow();
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('checks a huge workflow in bounded time', () => {
    const steps = Array.from({ length: 20_000 }, (_, i) => `      - name: step ${i}\n        run: ./step.sh ${i} "$DEPLOY_TOKEN"\n        env:\n          DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}\n`).join('');
    const text = `on: push\npermissions:\n  contents: read\njobs:\n  big:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
    expect(text.length).toBeGreaterThan(2_000_000);
    const started = performance.now();
    const result = checked('.github/workflows/big.yml', text);
    expect(result.errors).toEqual([]);
    expect(result.candidates).toEqual([]);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('declines files over the size limit with an error', () => {
    const result = runCiChecks({ path: '.gitlab-ci.yml', text: `a: ${'x'.repeat(MAX_CI_FILE_SIZE)}` });
    expect(result.candidates).toEqual([]);
    expect(result.errors).toEqual([{ path: '.gitlab-ci.yml', message: expect.stringContaining('too large for CI checks') }]);
  });

  it('ignores files that are not CI configuration', () => {
    expect(runCiChecks({ path: 'src/app.ts', text: 'const token = "hunter2hunter2";' })).toEqual({ candidates: [], errors: [], safeSpans: [], includes: [] });
  });
});

const FIXTURES = fileURLToPath(new URL('../../fixtures/ci', import.meta.url));

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? fixtureFiles(path) : [path];
  });
}

/** Fixture files with the path a scan of their repository would report. */
const SEEDS = fixtureFiles(FIXTURES)
  .map((file) => ({ path: relative(FIXTURES, file).split('/').slice(2).join('/'), text: readFileSync(file, 'utf8') }))
  .filter((seed) => seed.path !== '');

describe('random input (fast-check)', () => {
  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), fc.string({ unit: 'binary', maxLength: 400 }), (path, text) => {
        checked(path, text);
      }),
      { seed: 0x5ec7, numRuns: 600 },
    );
  });

  it('never throws on mutated fixtures', () => {
    const mutation = fc.record({
      seed: fc.constantFrom(...SEEDS),
      at: fc.nat(),
      remove: fc.nat({ max: 40 }),
      insert: fc.oneof(fc.constantFrom('', ':', '- ', '"', "'", '{', '[', '&a ', '*a', '${{', '}}', '\n  ', '\t', '#', '\\', '<<: *a\n', '$(', '"""'), fc.string({ maxLength: 12 })),
    });
    fc.assert(
      fc.property(mutation, ({ seed, at, remove, insert }) => {
        const offset = at % (seed.text.length + 1);
        checked(seed.path, seed.text.slice(0, offset) + insert + seed.text.slice(offset + remove));
      }),
      { seed: 0xc1c1, numRuns: 1500 },
    );
  });
});
