/**
 * Hands off: secretscan never changes what it scans. Every file and folder of a planted repository,
 * `.git` included, is fingerprinted (content hash, mode, mtime; folders by mtime and mode) before and
 * after each command, and only the one file a command is asked to write may differ. A refreshed
 * `.git/index` (git status and friends rewrite its stat cache) counts as a change.
 *
 * Temp files: the children get a private TMPDIR (Node's os.tmpdir() and git both honour it) that must be
 * empty afterwards. The machine-wide temp folder is shared with other test files running at the same
 * time, so a before/after listing of it would not say who made what.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlantedRepo, gitIn, snapshotCli, type Cli, type PlantedRepo } from './helpers-outputs.js';

let work: string;
let cli: Cli;
let repo: PlantedRepo;
let childTmp: string;

const env = () => ({ TMPDIR: childTmp, NO_COLOR: '1' });

/** Path → fingerprint of everything under `root`, `.git` included; symbolic links by their target. */
async function fingerprint(root: string): Promise<Map<string, string>> {
  const prints = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(root, path);
      const stat = await lstat(path);
      const meta = `mode ${stat.mode.toString(8)} mtime ${stat.mtimeMs}`;
      if (entry.isDirectory()) {
        prints.set(`${rel}/`, meta);
        await walk(path);
      } else if (entry.isSymbolicLink()) {
        prints.set(rel, `${meta} -> ${await readlink(path)}`);
      } else {
        prints.set(rel, `${meta} sha256 ${createHash('sha256').update(await readFile(path)).digest('hex')}`);
      }
    }
  };
  const top = await lstat(root);
  prints.set('./', `mode ${top.mode.toString(8)} mtime ${top.mtimeMs}`);
  await walk(root);
  return prints;
}

/** What differs between two fingerprints, as readable lines. */
function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [path, print] of before) {
    if (!after.has(path)) lines.push(`removed ${path}`);
    else if (after.get(path) !== print) lines.push(`changed ${path}: ${print} => ${after.get(path)}`);
  }
  for (const path of after.keys()) if (!before.has(path)) lines.push(`added ${path}`);
  return lines;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'secretscan-hands-off-'));
  childTmp = join(work, 'tmp');
  await mkdir(childTmp);
  cli = await snapshotCli(work);
  repo = await buildPlantedRepo(join(work, 'repo'));
  // mtimes are compared exactly: let the clock move past the repository's own writes first.
  await new Promise((resolve) => setTimeout(resolve, 50));
}, 90_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('secretscan changes nothing it scans', () => {
  it.each([
    ['scan', ['scan']],
    ['scan -f sarif (reads files again for line hashes)', ['scan', '-f', 'sarif']],
    ['scan --jobs 2', ['scan', '-f', 'json', '--jobs', '2']],
    ['ci', ['ci', '-f', 'json']],
    ['git', ['git', '-f', 'json']],
    ['git -f sarif (reads blobs for line hashes)', ['git', '-f', 'sarif']],
    ['git --branch feature', ['git', '--branch', 'feature']],
    ['git --staged', ['git', '--staged']],
    ['git --staged -f sarif', ['git', '--staged', '-f', 'sarif']],
  ])('%s', async (_name, args) => {
    const before = await fingerprint(repo.root);
    const run = await cli.run(args, repo.root, env());
    expect(run.code, run.stderr).toBe(1);
    expect(changes(before, await fingerprint(repo.root))).toEqual([]);
    expect(await readdir(childTmp)).toEqual([]);
  });

  it('the pre-commit path changes nothing either, whatever the index stat cache holds', async () => {
    // Files touched after staging leave the index's stat cache stale: what `git status` would refresh.
    const git = gitIn(repo.root);
    const later = new Date(Date.now() + 60_000);
    await utimes(join(repo.root, 'staged.ts'), later, later);
    await utimes(join(repo.root, 'README.md'), later, later);
    expect(git(['diff', '--name-only'])).toBe('');
    const before = await fingerprint(repo.root);
    const run = await cli.run(['git', '--staged', '-f', 'json'], repo.root, env());
    expect(run.code, run.stderr).toBe(1);
    expect(changes(before, await fingerprint(repo.root))).toEqual([]);
    // The control: git status does refresh the index here, and the fingerprint sees it.
    git(['status', '--porcelain']);
    expect(changes(before, await fingerprint(repo.root)).map((line) => line.replace(/:.*/, ''))).toContain('changed .git/index');
  });

  it.each([
    ['git', ['git', '-f', 'json']],
    ['git --staged', ['git', '--staged', '-f', 'json']],
  ])('%s with the built-in engine (no git on PATH)', async (_name, args) => {
    // isomorphic-git reads the index and objects itself: it must not write them back either.
    const nodeOnly = join(work, 'node-only');
    await mkdir(nodeOnly, { recursive: true });
    await symlink(process.execPath, join(nodeOnly, 'node')).catch(() => undefined);
    const before = await fingerprint(repo.root);
    const run = await cli.run(args, repo.root, { ...env(), PATH: nodeOnly });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/isomorphic-git/);
    expect(changes(before, await fingerprint(repo.root))).toEqual([]);
    expect(await readdir(childTmp)).toEqual([]);
  });

  it('baseline writes its own file and nothing else', async () => {
    const before = await fingerprint(repo.root);
    const run = await cli.run(['baseline'], repo.root, env());
    expect(run.code, run.stderr).toBe(0);
    const after = await fingerprint(repo.root);
    // The new file, and the folder that now lists it.
    expect(changes(before, after).map((line) => line.replace(/:.*/, ''))).toEqual(['changed ./', 'added .secretscan-baseline.json']);
    expect(await readdir(childTmp)).toEqual([]);
    await rm(join(repo.root, '.secretscan-baseline.json'));
  });

  it('a report written with -o is the one file it adds', async () => {
    const before = await fingerprint(repo.root);
    const run = await cli.run(['git', '-f', 'sarif', '-o', 'report.sarif'], repo.root, env());
    expect(run.code, run.stderr).toBe(1);
    expect(changes(before, await fingerprint(repo.root)).map((line) => line.replace(/:.*/, ''))).toEqual(['changed ./', 'added report.sarif']);
    await rm(join(repo.root, 'report.sarif'));
  });
});
