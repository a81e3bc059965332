/**
 * The launcher's head start (src/early.ts): which command lines start the detection worker before the
 * CLI loads, and that a scan takes it or closes it.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEarly } from '../src/early.js';
import { takeStagedDiff } from '../src/sources/git-spawn.js';
import { GIT_OPTIONS_WITH_VALUES, SCAN_OPTIONS_WITH_VALUES, isStagedRun } from '../src/command-line.js';
import { createFaker } from './helpers/fake-secrets.js';
import { runCli } from './helpers/cli.js';
import { DetectionPool } from '../src/detect/pool.js';
import { prepareScan, scan } from '../src/scan.js';
import { runScript, tempTree } from './helpers/tmp.js';

afterEach(async () => {
  await DetectionPool.takeEarly()?.close();
  takeStagedDiff('/')?.child.kill();
});

describe('startEarly', () => {
  const repo = new URL('..', import.meta.url).pathname;
  it.each([
    [['scan'], true],
    [['scan', 'src', '--format', 'json'], true],
    [['scan', '--jobs', '2', '.'], true],
    [['scan', '--jobs=3'], true],
    [['scan', '--', 'src'], true],
    [['scan', 'package.json', 'src'], true],
    [['scan', 'package.json'], false],
    [['scan', '-o', 'src', 'package.json'], false],
    [['scan', '--exclude', 'src', 'README.md'], false],
    [['scan', 'no-such-folder'], false],
    [['scan', '--jobs', '1', '.'], false],
    [['scan', '--jobs=1'], false],
    [['scan', '--jobs', 'zero'], false],
    [['git', '--staged'], false],
    [['ci', '.'], false],
    [['stdin'], false],
    [[], false],
  ])('%j starts a worker: %s', async (args, starts) => {
    startEarly(args, repo);
    const pool = DetectionPool.takeEarly();
    expect(pool !== undefined).toBe(starts);
    await pool?.close();
  });

  it('knows every option of scan that takes a value (their values are not targets)', async () => {
    const { stdout } = await runCli(['scan', '--help'], { cwd: repo });
    const withValues = [...stdout.matchAll(/^\s+(?:(-\w), )?(--[\w-]+) <\w+>/gm)].flatMap(([, short, long]) => (short ? [short, long!] : [long!]));
    expect(withValues.length).toBeGreaterThan(5);
    expect([...SCAN_OPTIONS_WITH_VALUES].sort()).toEqual(withValues.sort());
  });

  it('a folder scan takes the worker started early; a file scan closes it', async () => {
    const root = await tempTree({ 'a.env': 'NOTHING=here\n', 'b/c.txt': 'plain\n' });
    startEarly(['scan', root], root);
    const setup = await prepareScan({ cwd: root });
    const result = await scan({ kind: 'worktree', cwd: root, targets: [root] }, setup);
    expect(result.stats.filesScanned).toBe(2);
    expect(DetectionPool.takeEarly()).toBeUndefined();

    // A file scan does not start one; one started anyway (a folder named elsewhere) is closed.
    startEarly(['scan', 'a.env'], root);
    expect(DetectionPool.takeEarly()).toBeUndefined();
    startEarly(['scan', root], root);
    const single = await scan({ kind: 'worktree', cwd: root, targets: ['a.env'] }, setup);
    expect(single.stats.filesScanned).toBe(1);
    expect(DetectionPool.takeEarly()).toBeUndefined();
  });
});

describe('the pre-commit hook\u2019s diff, started before the CLI loads', () => {
  it.each([
    [['git', '--staged'], true],
    [['git', '--staged', '--no-progress', '-f', 'json'], true],
    [['git', '--format=json', '--staged', '--config', '.secretscanrc', '-q'], true],
    [['git', '--staged', 'other/repo'], false],
    [['git', '--staged', '--', '.'], false],
    [['git', '--staged', '--help'], false],
    [['git', '--range', 'main..HEAD'], false],
    [['git'], false],
    [['scan', '--staged'], false],
  ])('%j is the hook run: %s', (args, staged) => {
    expect(isStagedRun(args)).toBe(staged);
  });

  it('knows every option of git that takes a value (a value is not the repository argument)', async () => {
    const { stdout } = await runCli(['git', '--help'], { cwd: new URL('..', import.meta.url).pathname });
    const withValues = [...stdout.matchAll(/^\s+(?:(-\w), )?(--[\w-]+) <[\w.]+>/gm)].flatMap(([, short, long]) => (short ? [short, long!] : [long!]));
    expect(withValues.length).toBeGreaterThan(5);
    expect([...GIT_OPTIONS_WITH_VALUES].sort()).toEqual(withValues.sort());
  });

  async function stagedRepo() {
    const root = await tempTree({ 'src/app.ts': 'export const ok = 1;\n' });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: root });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'start');
    const token = createFaker(31).make('github:ghp');
    appendFileSync(join(root, 'src/app.ts'), `export const token = "${token}";\n`);
    git('add', '.');
    return { root, token };
  }

  it('is what the staged scan reads, once, when it ran where the repository is opened', async () => {
    const { root, token } = await stagedRepo();
    startEarly(['git', '--staged'], root);
    const result = await scan({ kind: 'staged', cwd: root }, await prepareScan({ cwd: root }));
    expect(result.findings.map((finding) => [finding.secret, finding.occurrences[0]!.line])).toEqual([[token, 2]]);
    expect(takeStagedDiff(root)).toBeUndefined();
  });

  it('is not read for another repository', async () => {
    const one = await stagedRepo();
    const other = await stagedRepo();
    startEarly(['git', '--staged'], other.root);
    const result = await scan({ kind: 'staged', cwd: one.root }, await prepareScan({ cwd: one.root }));
    expect(result.findings.map((finding) => finding.secret)).toEqual([one.token]);
  });

  it('does not keep a process alive that never reads it', async () => {
    const { root } = await stagedRepo();
    const run = await runScript(`import { startEarly } from '{{src}}early.ts';\nstartEarly(['git', '--staged'], ${JSON.stringify(root)});\nconsole.log('started');\n`, [], 20_000);
    expect(run.error).toBeUndefined();
    expect(run.stdout).toBe('started\n');
    expect(run.status).toBe(0);
  });
});

describe('limitYoungGeneration', () => {
  it('stops the young generation growing past its cap, in a process of its own (V8 flags are per process)', async () => {
    // Objects that survive a few scavenges each, as a scan's in-flight state does: V8 grows the young
    // generation for them unless stopped.
    const source = `import v8 from 'node:v8';
import { limitYoungGeneration } from '{{src}}early.ts';
if (process.argv[2] === 'limit') limitYoungGeneration(4 * 1024 * 1024, 1);
const newSpace = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size;
let largest = 0;
let kept: object[] = [];
for (let round = 0; round < 300; round++) {
  for (let i = 0; i < 20000; i++) kept.push({ round, i, text: 'x'.repeat(i % 64) });
  if (kept.length > 100000) kept = kept.slice(50000);
  largest = Math.max(largest, newSpace());
  await new Promise((resolve) => setTimeout(resolve, 1));
}
console.log(largest);
`;
    const free = Number((await runScript(source, ['free'])).stdout.trim());
    const limited = Number((await runScript(source, ['limit'])).stdout.trim());
    expect(free).toBeGreaterThan(8 * 1024 * 1024);
    // Checked between rounds here: it may double once more before the check sees it.
    expect(limited).toBeLessThanOrEqual(8 * 1024 * 1024);
  });
});

describe('limitInlining', () => {
  it('keeps the optimizing compiler from inlining a mid-sized function, in a process of its own (V8 flags are per process)', async () => {
    // A hot loop around a function of ~160 bytes of bytecode: inlined at V8's defaults, not under the limit.
    const source = `import v8 from 'node:v8';
import { limitInlining } from '{{src}}early.ts';
v8.setFlagsFromString('--trace-turbo-inlining');
if (process.argv[2] === 'limit') limitInlining();
function medium(a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < 4; i++) { s += (a * i) ^ (b + i); s = (s << 1) | (s >>> 31); if (s > 1e6) s -= a; else s += b; if (a > b) s ^= a; else s ^= b; s += a % 7; s -= b % 5; s ^= (a + b) & 255; }
  return s;
}
function hot(n: number): number { let t = 0; for (let i = 0; i < n; i++) t += medium(i, n - i); return t; }
let total = 0;
for (let round = 0; round < 200; round++) total += hot(10000);
console.log(total);
`;
    const inlined = (output: string) => /Inlining \S+ \{\S+ <SharedFunctionInfo medium>\}/.test(output);
    const free = await runScript(source, ['free']);
    const limited = await runScript(source, ['limit']);
    expect(free.status).toBe(0);
    expect(limited.status).toBe(0);
    expect(inlined(free.stdout)).toBe(true);
    expect(inlined(limited.stdout)).toBe(false);
    expect(limited.stdout).toContain('<SharedFunctionInfo medium>');
  });
});
