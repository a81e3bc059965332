/**
 * Fuzzing the config loader (issue #8). A scan of someone else's repository reads the `.secretscanrc` it
 * finds there, so the file is untrusted input: whatever it holds, loadConfig either returns a config or
 * throws a one-line ConfigError naming the file, and its cost grows with the file's size, never with
 * what YAML aliases expand to.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { prepareScan } from '../../src/scan.js';
import { tempTree } from '../helpers/tmp.js';
import { fcParams, linearGrowthAsync } from './fuzz-helpers.js';

const NAMES = ['.secretscanrc', '.secretscanrc.json', '.secretscanrc.yaml', '.secretscanrc.yml', 'package.json'];

async function load(dir: string): Promise<{ ok: true } | { ok: false; error: unknown }> {
  try {
    await loadConfig({ searchFrom: dir });
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

function expectOneLineConfigError(outcome: Awaited<ReturnType<typeof load>>, path: string): void {
  if (outcome.ok) return;
  expect(outcome.error, String(outcome.error)).toBeInstanceOf(ConfigError);
  const message = (outcome.error as Error).message;
  expect(message).not.toMatch(/[\r\n]/);
  expect(message).toContain(path);
  expect(message.length).toBeLessThan(2000);
}

const TOKENS = [
  'failOn', 'failOn: high', 'exclude', 'exclude:', '- ', '  ', '\n', ': ', '[', ']', '{', '}', '"', "'", ',', '&a ', '*a', '<<: *a', '!!js/function ',
  'allowlist:', 'byRule:', 'paths:', 'regexes:', 'stopwords:', 'rules:', 'id: x', 'pattern: "(a+)+"', 'keywords: [x]', 'maxFileSize: ', '-1', '1e400',
  'jobs: 0', 'ci: no', 'baseline: ../../etc/passwd', '$schema', '__proto__', 'constructor', '\0', '\r', '\t', '\uFEFF', '#', '---\n', '...',
];
const soup = fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) }), { maxLength: 120 }).map((parts) => parts.join(''));

describe('config loader under random input', () => {
  it('returns a config or throws a one-line ConfigError naming the file, for any content', async () => {
    const dir = await tempTree();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...NAMES), fc.oneof(soup, fc.json(), fc.string({ unit: 'binary', maxLength: 400 })), async (name, text) => {
        const path = join(dir, name);
        await writeFile(path, name === 'package.json' ? `{"name": "x", "secretscan": ${text}}` : text);
        try {
          expectOneLineConfigError(await load(dir), path);
        } finally {
          await writeFile(path, '');
          const { rm } = await import('node:fs/promises');
          await rm(path, { force: true });
        }
      }),
      fcParams(150),
    );
  });

  it('deep nesting is an error naming the file, not a crash', async () => {
    for (const [name, text] of [
      ['.secretscanrc.json', `{"exclude": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
      ['.secretscanrc.yaml', `exclude: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`],
      ['.secretscanrc', `allowlist:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n')}\n`],
    ]) {
      const dir = await tempTree({ [name!]: text! });
      const outcome = await load(dir);
      expect(outcome.ok).toBe(false);
      expectOneLineConfigError(outcome, join(dir, name!));
    }
  });
});

/** byRule entries that all alias one allowlist of `n` paths: n × n globs once expanded. */
function aliasAmplified(n: number): string {
  const paths = Array.from({ length: n }, (_, i) => `"p${i}/**"`).join(', ');
  const rules = Array.from({ length: n }, (_, i) => `    r${i}: *e`).join('\n');
  return `allowlist:\n  paths: &p [${paths}]\n  byRule:\n    r: &e {paths: *p}\n${rules}\n`;
}

describe('regressions', () => {
  it('regression: a config whose aliases expand far beyond its size is refused, not expanded', async () => {
    // 50 KB of YAML expanding to 4 million allowlist globs took 22 s to load and compile; 200 KB, minutes.
    const dir = await tempTree({ '.secretscanrc': aliasAmplified(2000) });
    const started = performance.now();
    const outcome = await load(dir);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(outcome.ok).toBe(false);
    expectOneLineConfigError(outcome, join(dir, '.secretscanrc'));
    expect((outcome as { error: Error }).error.message).toMatch(/alias/);
    await expect(prepareScan({ cwd: dir })).rejects.toBeInstanceOf(ConfigError);
  });

  it('regression: ordinary use of anchors in a config still loads', async () => {
    const dir = await tempTree({
      '.secretscanrc': 'allowlist:\n  byRule:\n    a: &common {paths: ["test/**", "fixtures/**"], stopwords: [dummy]}\n    b: *common\n    c: *common\nexclude: &ex ["dist/**"]\n',
    });
    const config = await loadConfig({ searchFrom: dir });
    expect(config.file.allowlist?.byRule?.c?.paths).toEqual(['test/**', 'fixtures/**']);
  });

  it('loading grows linearly with the size of an alias-heavy config', async () => {
    const dirs = new Map<number, string>();
    for (const n of [200, 800]) dirs.set(n, await tempTree({ '.secretscanrc': aliasAmplified(n) }));
    const growth = await linearGrowthAsync(async (n) => {
      await load(dirs.get(n)!);
    }, 200);
    expect(growth.linear, JSON.stringify(growth)).toBe(true);
  });
});
