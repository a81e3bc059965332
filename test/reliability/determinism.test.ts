/**
 * Determinism: the same input gives byte-identical JSON and SARIF reports, run after run and whatever
 * the number of detection threads. The only field that may differ is the JSON report's
 * `scan.durationMs` (SARIF carries no time; GitLab's start and end times are outside this contract).
 *
 * The tree is larger than the pool's automatic threshold (src/detect/pool.ts: a worker starts once a
 * scan has read AUTO_THRESHOLD_BYTES), with planted secrets both before and after that point, so the default run
 * changes thread count mid-scan and `--jobs 2` sends most files to a worker from the start; their
 * findings come back in a different order than a single thread makes them.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTO_THRESHOLD_BYTES } from '../../src/detect/pool.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { buildPlantedRepo, snapshotCli, type Cli, type PlantedRepo } from './helpers-outputs.js';

let work: string;
let cli: Cli;
let repo: PlantedRepo;

/** The report with its one timing field blanked: everything else must match byte for byte. */
function withoutTiming(json: string): string {
  const report = JSON.parse(json) as { scan: { durationMs?: number } };
  expect(typeof report.scan.durationMs).toBe('number');
  report.scan.durationMs = 0;
  return JSON.stringify(report, null, 2);
}

/**
 * Ordinary code with keywords the prefilter stops at (so workers detect, not just skip), and now and
 * then a planted token, so findings come from every part of the tree.
 */
async function pad(root: string, bytes: number): Promise<void> {
  const faker = createFaker(4242);
  const block = [
    'const client = connect({ token: process.env.API_TOKEN, password: env("DB_PASSWORD") }); // api_key lookup',
    ...Array.from({ length: 7 }, (_, i) => `export function step${i}(input) { return input.map((value) => value * ${i + 2}).filter(Boolean); }`),
  ].join('\n');
  const fileBytes = 512 * 1024;
  for (let i = 0; i * fileBytes < bytes; i++) {
    const dir = join(root, `vendor-${String(i % 4)}`);
    await mkdir(dir, { recursive: true });
    const body = `${block}\n`.repeat(Math.floor(fileBytes / (block.length + 1)));
    await writeFile(join(dir, `module-${String(i).padStart(3, '0')}.js`), `${body}export const key = "${faker.make('github:ghp')}";\n`);
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'secretscan-determinism-'));
  cli = await snapshotCli(work);
  repo = await buildPlantedRepo(join(work, 'repo'));
  await pad(repo.root, AUTO_THRESHOLD_BYTES + 2 * 1024 * 1024);
  // Workflows are checked when the workers are busy or at the end of the walk, so their errors (here a
  // YAML one) and findings must still land in the same place whatever the timing.
  await mkdir(join(repo.root, '.github', 'workflows'), { recursive: true });
  await writeFile(join(repo.root, '.github', 'workflows', 'broken.yml'), 'on: push\njobs:\n  build: [unclosed\n');
}, 90_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the same scan gives the same report', () => {
  it('JSON: a default run (a worker joins after AUTO_THRESHOLD_BYTES), --jobs 1 and --jobs 2 are identical', async () => {
    const runs = [];
    for (const jobs of [[], ['--jobs', '1'], ['--jobs', '2']]) {
      const run = await cli.run(['scan', '-f', 'json', ...jobs], repo.root);
      expect(run.code, run.stderr).toBe(1);
      runs.push(withoutTiming(run.stdout));
    }
    const report = JSON.parse(runs[0]!);
    expect(report.errors.map((error: { path: string }) => error.path)).toContain('.github/workflows/broken.yml');
    expect(report.scan.bytesScanned).toBeGreaterThan(AUTO_THRESHOLD_BYTES + 1024 * 1024);
    expect(report.findings.length).toBeGreaterThan(250);
    for (const run of runs.slice(1)) expect(run).toBe(runs[0]);
  }, 120_000);

  it('SARIF: --jobs 1 and --jobs 2 are byte-identical', async () => {
    const one = await cli.run(['scan', '-f', 'sarif', '--jobs', '1'], repo.root);
    const two = await cli.run(['scan', '-f', 'sarif', '--jobs', '2'], repo.root);
    expect(JSON.parse(one.stdout).runs[0].results.length).toBeGreaterThan(250);
    expect(two.stdout).toBe(one.stdout);
  }, 60_000);

  it('git: JSON and SARIF are identical run after run, with one thread or two', async () => {
    const json = await cli.run(['git', '-f', 'json', '--jobs', '1'], repo.root);
    const jsonAgain = await cli.run(['git', '-f', 'json', '--jobs', '2'], repo.root);
    expect(JSON.parse(json.stdout).findings.length).toBeGreaterThan(250);
    expect(withoutTiming(jsonAgain.stdout)).toBe(withoutTiming(json.stdout));
    const sarif = await cli.run(['git', '-f', 'sarif'], repo.root);
    const sarifAgain = await cli.run(['git', '-f', 'sarif', '--jobs', '2'], repo.root);
    expect(sarifAgain.stdout).toBe(sarif.stdout);
  }, 60_000);
});
