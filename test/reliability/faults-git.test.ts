/**
 * Faults and scale in Git repositories built at test time with the git binary, scanned by the real CLI
 * in-process: a shallow clone (what CI checkouts are), a repository with 100,000 refs, and damaged
 * repositories (a missing object, a corrupt pack).
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, open, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree } from '../helpers/tmp.js';
import { parseReport, runBin } from './fault-helpers.js';

const faker = createFaker(0x617);
const token = () => faker.make('github:ghp');

// Fixed dates: with the seeded fake secrets, every object, and so every pack, is the same on each run.
const IDENTITY = {
  GIT_AUTHOR_NAME: 'A',
  GIT_AUTHOR_EMAIL: 'a@example.org',
  GIT_COMMITTER_NAME: 'A',
  GIT_COMMITTER_EMAIL: 'a@example.org',
  GIT_AUTHOR_DATE: '2024-03-01T12:00:00+00:00',
  GIT_COMMITTER_DATE: '2024-03-01T12:00:00+00:00',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...IDENTITY } }).trim();
}

async function commit(dir: string, files: Record<string, string>, message: string): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

async function scanGit(cwd: string, ...args: string[]) {
  const result = await runCli(['git', '.', '--format', 'json', ...args], { cwd });
  return { ...result, report: parseReport(result.stdout) };
}

describe('a shallow clone', () => {
  it('scans what the clone holds, says the rest is missing, and exits as usual', async () => {
    const [old, current] = [token(), token()];
    const origin = await tempTree({});
    git(origin, 'init', '-q', '-b', 'main');
    const first = await commit(origin, { 'old.env': `TOKEN=${old}\n` }, 'old secret');
    await commit(origin, { 'old.env': 'TOKEN=\n' }, 'removed');
    const last = await commit(origin, { 'app.env': `GITHUB_TOKEN=${current}\n` }, 'new secret');
    const parent = await tempTree({});
    git(parent, 'clone', '-q', '--depth', '1', `file://${origin}`, 'clone');
    const clone = join(parent, 'clone');
    expect(git(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');

    const { code, report, stderr } = await scanGit(clone);
    expect(code).toBe(1);
    expect(report.scan.git).toEqual({ engine: 'git', shallow: true });
    expect(report.scan.commitsScanned).toBe(1);
    expect(report.scan.notices).toEqual([expect.stringMatching(/^shallow clone: .*git fetch --unshallow/)]);
    expect(stderr).toMatch(/shallow clone/);
    // The one commit present shows its whole tree as added; the older secret is not in the clone.
    expect(report.findings.map((finding) => finding.occurrences.map((o) => `${o.path}@${o.commit}`))).toEqual([[`app.env@${last}`]]);
    expect(report.findings.flatMap((finding) => finding.occurrences.map((o) => o.commit))).not.toContain(first);
    expect(report.errors).toEqual([]);
  });
});

describe('a repository with 100,000 refs', () => {
  it('finishes in seconds and finds the secret on the one ref that has it', async () => {
    const secret = token();
    const dir = await tempTree({});
    git(dir, 'init', '-q', '-b', 'main');
    const base = await commit(dir, { 'README.md': '# app\n' }, 'start');
    git(dir, 'checkout', '-q', '-b', 'feature');
    const leak = await commit(dir, { 'ci.env': `GITHUB_TOKEN=${secret}\n` }, 'leak');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'branch', '-q', '-D', 'feature');
    // Written straight into packed-refs (sorted, as git requires): one ref keeps the leak reachable.
    const names = Array.from({ length: 100_000 }, (_, i) => `refs/tags/release-${String(i).padStart(6, '0')}`);
    const lines = names.map((name, i) => `${i === 54_321 ? leak : base} ${name}`);
    await writeFile(join(dir, '.git', 'packed-refs'), `# pack-refs with: peeled fully-peeled sorted \n${lines.join('\n')}\n`);
    expect(git(dir, 'for-each-ref', '--count=1', '--contains', leak, '--format=%(refname)')).toBe('refs/tags/release-054321');

    const started = performance.now();
    const { code, report } = await scanGit(dir);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(code).toBe(1);
    expect(report.scan.commitsScanned).toBe(2);
    expect(report.findings.map((finding) => finding.occurrences.map((o) => `${o.path}@${o.commit}`))).toEqual([[`ci.env@${leak}`]]);
    expect(report.errors).toEqual([]);
  });
});

// ─── Damaged repositories ────────────────────────────────────────────────────────────────────────

/** A few hundred bytes of text, so a corrupted run of bytes lands inside the object's data. */
const filler = (tag: string) => Array.from({ length: 60 }, (_, i) => `${tag} line ${i} of some ordinary text`).join('\n') + '\n';

/**
 * Newest first: c4 adds a secret in new.env; c3 and c2 change f2 (c2's version, and its d/ tree, exist
 * only in history); c1 adds an older secret in old.env, deleted again by c4. The damage is always in the
 * middle, so a scan that stops at it misses the older secret.
 */
async function historyRepository() {
  const [older, newer] = [token(), token()];
  const dir = await tempTree({});
  git(dir, 'init', '-q', '-b', 'main');
  const c1 = await commit(dir, { 'old.env': `GITHUB_TOKEN=${older}\n`, 'f1.txt': filler('one') }, 'c1');
  const c2 = await commit(dir, { 'f2.txt': filler('two'), 'd/inner.txt': filler('inner') }, 'c2');
  const c3 = await commit(dir, { 'f2.txt': filler('three'), 'd/inner.txt': filler('inner, changed') }, 'c3');
  await unlink(join(dir, 'old.env'));
  const c4 = await commit(dir, { 'new.env': `GITHUB_TOKEN=${newer}\n` }, 'c4');
  return { dir, older, newer, c1, c2, c3, c4, blob: git(dir, 'rev-parse', `${c2}:f2.txt`), tree: git(dir, 'rev-parse', `${c2}:d`) };
}

const loose = (dir: string, id: string) => join(dir, '.git', 'objects', id.slice(0, 2), id.slice(2));

/** Overwrites bytes of `id` inside the repository's one pack (repacked without deltas, so no other object depends on it). */
async function corruptInPack(dir: string, id: string): Promise<void> {
  git(dir, 'repack', '-q', '-a', '-d', '--window=0');
  const packs = (await readdir(join(dir, '.git', 'objects', 'pack'))).filter((name) => name.endsWith('.pack'));
  expect(packs).toHaveLength(1);
  const pack = join(dir, '.git', 'objects', 'pack', packs[0]!);
  const index = execFileSync('git', ['show-index'], { input: await readFile(pack.replace(/\.pack$/, '.idx')), encoding: 'utf8' });
  const offset = Number(/^(\d+) (\w+)/m.exec(index.split('\n').find((line) => line.split(' ')[1] === id) ?? '')?.[1]);
  expect(offset).toBeGreaterThan(0);
  await chmod(pack, 0o644);
  const handle = await open(pack, 'r+');
  await handle.write(Buffer.alloc(24, 0xff), 0, 24, offset + 16);
  await handle.close();
}

const places = (report: ReturnType<typeof parseReport>) => report.findings.map((finding) => finding.occurrences.map((o) => `${o.path}@${o.commit}`)).sort();

describe('a damaged repository', () => {
  it('regression: a missing blob: the commits that need it are listed in errors, and the history on both sides is scanned', async () => {
    const repo = await historyRepository();
    await unlink(loose(repo.dir, repo.blob));

    const { code, report } = await scanGit(repo.dir);
    expect(code).toBe(1);
    expect(places(report)).toEqual([[`new.env@${repo.c4}`], [`old.env@${repo.c1}`]].sort());
    // c3 diffs against the lost version and c2 adds it: neither can be read in full.
    expect(report.errors).toEqual([
      { path: `f2.txt (${repo.c3.slice(0, 12)})`, message: expect.stringContaining(`commit ${repo.c3}: unable to read ${repo.blob}`) },
      { path: `f2.txt (${repo.c2.slice(0, 12)})`, message: expect.stringContaining(`commit ${repo.c2}: unable to read ${repo.blob}`) },
    ]);
  });

  it('regression: a missing tree, which git needs before it shows the commit: the right commit is named', async () => {
    const repo = await historyRepository();
    await unlink(loose(repo.dir, repo.tree));

    const { code, report } = await scanGit(repo.dir);
    expect(code).toBe(1);
    expect(places(report)).toEqual([[`new.env@${repo.c4}`], [`old.env@${repo.c1}`]].sort());
    // No header of c3 came before the failure: c4, shown last, diffs cleanly, so it was c3.
    expect(report.errors.map((error) => error.path)).toEqual([`(commit ${repo.c3.slice(0, 12)})`, `(commit ${repo.c2.slice(0, 12)})`]);
    expect(report.errors[0]!.message).toContain(repo.tree);
  });

  it('regression: the same damage within --max-commits: the commits listed to go on with follow the same options', async () => {
    const repo = await historyRepository();
    await unlink(loose(repo.dir, repo.blob));

    const { report } = await scanGit(repo.dir, '--max-commits', '3', '--since', '2024-01-01');
    expect(places(report)).toEqual([[`new.env@${repo.c4}`]]);
    expect(report.errors.map((error) => error.path)).toEqual([`f2.txt (${repo.c3.slice(0, 12)})`, `f2.txt (${repo.c2.slice(0, 12)})`]);
  });

  it('regression: a corrupt object in a pack: listed in errors, the rest of the history scanned', async () => {
    const repo = await historyRepository();
    await corruptInPack(repo.dir, repo.blob);

    const { code, report } = await scanGit(repo.dir);
    expect(code).toBe(1);
    expect(places(report)).toEqual([[`new.env@${repo.c4}`], [`old.env@${repo.c1}`]].sort());
    expect(report.errors.map((error) => error.path)).toEqual([`f2.txt (${repo.c3.slice(0, 12)})`, `f2.txt (${repo.c2.slice(0, 12)})`]);
    expect(report.errors[0]!.message).toContain(repo.blob);
  });

  it('regression: a pack overwritten in the middle: the scan ends, exits by its findings, and says what it could not read', async () => {
    const repo = await historyRepository();
    git(repo.dir, 'repack', '-q', '-a', '-d');
    const packs = (await readdir(join(repo.dir, '.git', 'objects', 'pack'))).filter((name) => name.endsWith('.pack'));
    const pack = join(repo.dir, '.git', 'objects', 'pack', packs[0]!);
    await chmod(pack, 0o644);
    const handle = await open(pack, 'r+');
    const { size } = await handle.stat();
    await handle.write(Buffer.alloc(64, 0xff), 0, 64, Math.floor(size / 2));
    await handle.close();
    // git diffs a clean work-tree file instead of its blob when it can: without them, every read is of the pack.
    for (const name of ['new.env', 'f1.txt', 'f2.txt', 'd']) await rm(join(repo.dir, name), { recursive: true });

    // The built CLI in a child process: a hang is a timeout here, not a stuck test worker.
    const result = await runBin(['git', '.', '--format', 'json', '--no-progress'], { cwd: repo.dir, timeoutMs: 30_000 });
    expect(result.timedOut).toBe(false);
    expect([0, 1]).toContain(result.code);
    const report = parseReport(result.stdout);
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.errors.every((error) => /corrupt|unable to read|inflate|could not/i.test(error.message))).toBe(true);
    expect(result.code).toBe(report.findings.length > 0 ? 1 : 0);
  });

  it('regression: a corrupt blob in HEAD: presentAtHead still reads the files after it, and the error names it', async () => {
    const secret = token();
    const dir = await tempTree({});
    git(dir, 'init', '-q', '-b', 'main');
    await commit(dir, { 'a.txt': filler('first') }, 'a');
    const last = await commit(dir, { 'b.env': `GITHUB_TOKEN=${secret}\n` }, 'b');
    const damaged = git(dir, 'rev-parse', 'HEAD:a.txt');
    await corruptInPack(dir, damaged);

    // Only the newest commit: history never needs a.txt, only the look at HEAD's files does.
    const { code, report } = await scanGit(dir, '--max-commits', '1');
    expect(code).toBe(1);
    expect(places(report)).toEqual([[`b.env@${last}`]]);
    expect((report.findings[0] as unknown as { presentAtHead: boolean }).presentAtHead).toBe(true);
    expect(report.errors).toEqual([{ path: 'a.txt', message: expect.stringMatching(new RegExp(`^object ${damaged} could not be read \\(.*\\); whether HEAD's version`)) }]);
  });

  it('regression: a missing blob in HEAD: listed once in errors, the scan goes on', async () => {
    const secret = token();
    const dir = await tempTree({});
    git(dir, 'init', '-q', '-b', 'main');
    await commit(dir, { 'a.txt': filler('first') }, 'a');
    const last = await commit(dir, { 'b.env': `GITHUB_TOKEN=${secret}\n` }, 'b');
    const missing = git(dir, 'rev-parse', 'HEAD:a.txt');
    await unlink(loose(dir, missing));

    const { code, report } = await scanGit(dir, '--max-commits', '1');
    expect(code).toBe(1);
    expect(places(report)).toEqual([[`b.env@${last}`]]);
    expect((report.findings[0] as unknown as { presentAtHead: boolean }).presentAtHead).toBe(true);
    expect(report.errors).toEqual([{ path: 'a.txt', message: expect.stringContaining(`object ${missing} is missing or corrupt`) }]);
  });
});
