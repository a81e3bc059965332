/**
 * The Git sources (src/sources/git*.ts) through scan(): repositories are built at test time with
 * isomorphic-git (fixed authors and dates, so commit ids are the same on every run), one commit at a
 * time as whole snapshots of the tree. Every history is scanned with both engines, native git and
 * isomorphic-git, and the two results must be identical (apart from the engine's name and timing).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { describe, expect, it } from 'vitest';
import { PatchParser, unquote } from '../../src/sources/git-native.js';
import { addedLines, splitLines } from '../../src/sources/git-iso.js';
import { newGitReport } from '../../src/sources/git.js';
import { scan, type GitScanOptions } from '../../src/scan.js';
import type { ScanResult } from '../../src/types.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree } from '../helpers/tmp.js';

const faker = createFaker(2024);
const [TOKEN_A, TOKEN_B, TOKEN_C, TOKEN_D, TOKEN_E] = Array.from({ length: 5 }, () => faker.make('github:ghp')) as [string, string, string, string, string];
const NPM_TOKEN = faker.make('npm');
const PEM = faker.make('pem:RSA PRIVATE KEY');

type Files = Record<string, string | Buffer | { submodule: string }>;

const ADA = { name: 'Ada Park', email: 'ada@example.org' };
const BO = { name: 'Bo Lindqvist', email: 'bo@example.org' };

/** A repository whose history is written commit by commit, each commit a whole snapshot of the tree. */
class Repo {
  private constructor(readonly dir: string) {}

  static async create(): Promise<Repo> {
    const dir = await tempTree();
    await git.init({ fs, dir, defaultBranch: 'main' });
    return new Repo(dir);
  }

  /** Writes a commit of `files` on `branch` (default main), with the given parents (default: the branch tip). */
  async commit(files: Files, options: { date: string; author?: { name: string; email: string }; branch?: string; parents?: string[]; message?: string }): Promise<string> {
    const branch = options.branch ?? 'main';
    const parents = options.parents ?? (await this.tip(branch));
    const tree = await this.writeTree(files);
    const seconds = Date.parse(options.date) / 1000;
    const offset = /([+-])(\d\d):(\d\d)$/.exec(options.date);
    const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
    const who = { ...(options.author ?? ADA), timestamp: seconds, timezoneOffset: -minutes };
    const oid = await git.writeCommit({ fs, dir: this.dir, commit: { tree, parent: parents, author: who, committer: who, message: `${options.message ?? 'change'}\n` } });
    await git.writeRef({ fs, dir: this.dir, ref: `refs/heads/${branch}`, value: oid, force: true });
    return oid;
  }

  async tip(branch: string): Promise<string[]> {
    try {
      return [await git.resolveRef({ fs, dir: this.dir, ref: `refs/heads/${branch}` })];
    } catch {
      return [];
    }
  }

  /** Checks out main into the work tree and index (for --staged), with native git. */
  checkout(ref = 'main'): void {
    run(this.dir, ['checkout', '-q', '-f', ref]);
  }

  private async writeTree(files: Files): Promise<string> {
    type Node = Map<string, Node | { mode: string; oid: string }>;
    const root: Node = new Map();
    for (const [path, content] of Object.entries(files)) {
      const parts = path.split('/');
      let node = root;
      for (const part of parts.slice(0, -1)) {
        if (!node.has(part)) node.set(part, new Map());
        node = node.get(part) as Node;
      }
      const leaf =
        typeof content === 'object' && !Buffer.isBuffer(content)
          ? { mode: '160000', oid: content.submodule }
          : { mode: '100644', oid: await git.writeBlob({ fs, dir: this.dir, blob: Buffer.from(content) }) };
      node.set(parts[parts.length - 1]!, leaf);
    }
    const write = async (node: Node): Promise<string> => {
      const entries = [];
      for (const [path, child] of node) {
        if (child instanceof Map) entries.push({ mode: '040000', path, oid: await write(child), type: 'tree' as const });
        else entries.push({ mode: child.mode, path, oid: child.oid, type: child.mode === '160000' ? ('commit' as const) : ('blob' as const) });
      }
      return git.writeTree({ fs, dir: this.dir, tree: entries });
    };
    return write(root);
  }
}

function run(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.org' } });
}

/** Both engines over the same repository: the results must match; the native one is returned. */
async function history(dir: string, options: GitScanOptions & { maxFileSize?: number } = {}): Promise<ScanResult> {
  const { maxFileSize, ...gitOptions } = options;
  const native = await scan({ kind: 'git', cwd: dir, maxFileSize, git: { ...gitOptions, engine: 'native' } });
  const isomorphic = await scan({ kind: 'git', cwd: dir, maxFileSize, git: { ...gitOptions, engine: 'isomorphic' } });
  expect(native.stats.git?.engine).toBe('git');
  expect(isomorphic.stats.git?.engine).toBe('isomorphic-git');
  expect(comparable(isomorphic)).toEqual(comparable(native));
  return native;
}

function comparable(result: ScanResult) {
  return {
    stats: { ...result.stats, durationMs: 0, git: { ...result.stats.git, engine: '' } },
    notices: result.notices,
    errors: result.errors,
    findings: result.findings.map((finding) => ({ id: finding.id, presentAtHead: finding.presentAtHead, occurrences: finding.occurrences })),
  };
}

function finding(result: ScanResult, secret: string) {
  const found = result.findings.filter((f) => f.secret === secret);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const code = (secret: string, name = 'token') => `export const ${name} = "${secret}";\n`;

describe('secretscan git: history', () => {
  it('finds a secret that was added then deleted: presentAtHead false, firstSeen and provenance right', async () => {
    const repo = await Repo.create();
    await repo.commit({ 'README.md': '# app\n' }, { date: '2024-01-01T10:00:00+00:00' });
    const added = await repo.commit({ 'README.md': '# app\n', 'src/config.ts': `// config\n${code(TOKEN_A)}` }, { date: '2024-01-02T10:00:00+02:00', author: BO });
    const deleted = await repo.commit({ 'README.md': '# app\n', 'src/config.ts': '// config\n' }, { date: '2024-01-03T10:00:00+00:00' });

    const result = await history(repo.dir);
    const secret = finding(result, TOKEN_A);
    expect(secret.presentAtHead).toBe(false);
    expect(secret.occurrences).toEqual([
      { path: 'src/config.ts', line: 2, column: 23, endLine: 2, endColumn: 63, source: 'history', commit: added, author: BO.name, email: BO.email, date: '2024-01-02T10:00:00+02:00' },
    ]);
    // The deleting commit adds no line: three commits read, two blobs with added lines scanned.
    expect(result.stats).toMatchObject({ kind: 'git', root: repo.dir, commitsScanned: 3, blobsScanned: 2, filesScanned: 2 });
    expect(deleted).toMatch(/^[0-9a-f]{40}$/);
  });

  it('makes one finding of the same secret in three commits and two files, first and last seen by instant, not by text or order', async () => {
    const repo = await Repo.create();
    // Commit order: c1, c2, c3; author dates out of that order (a rebase), and in different offsets:
    // c3's date is the earliest instant although its text sorts last; c2's is the latest.
    const c1 = await repo.commit({ 'a.ts': code(TOKEN_B) }, { date: '2024-03-01T06:00:00+00:00' });
    const c2 = await repo.commit({ 'a.ts': code(TOKEN_B), 'b.ts': `// b\n${code(TOKEN_B)}` }, { date: '2024-03-01T08:00:00+00:00' });
    const c3 = await repo.commit({ 'a.ts': `${code(TOKEN_B)}\n${code(TOKEN_B, 'again')}`, 'b.ts': `// b\n${code(TOKEN_B)}` }, { date: '2024-03-01T09:00:00+05:00' });

    const result = await history(repo.dir);
    expect(result.findings).toHaveLength(1);
    const secret = finding(result, TOKEN_B);
    expect(secret.occurrences.map((o) => [o.path, o.line, o.commit])).toEqual([
      ['a.ts', 1, c1],
      ['a.ts', 3, c3],
      ['b.ts', 2, c2],
    ]);
    expect(secret.presentAtHead).toBe(true);
    const report = await jsonReport(repo.dir);
    expect(report.findings[0].firstSeen).toEqual({ commit: c3, date: '2024-03-01T09:00:00+05:00' });
    expect(report.findings[0].lastSeen).toEqual({ commit: c2, date: '2024-03-01T08:00:00+00:00' });
  });

  it('finds a secret added in a merge resolution, and not the lines each side brought', async () => {
    const repo = await Repo.create();
    const base = await repo.commit({ 'app.ts': 'one\ntwo\nthree\n' }, { date: '2024-01-01T00:00:00Z' });
    const side = await repo.commit({ 'app.ts': `one\n${code(TOKEN_C, 'side')}two\nthree\n` }, { date: '2024-01-02T00:00:00Z', branch: 'side', parents: [base] });
    const main = await repo.commit({ 'app.ts': 'one\ntwo\nthree\nfour\n' }, { date: '2024-01-03T00:00:00Z' });
    // The resolution keeps both sides and adds a line of its own, in a file and in a new file.
    const merge = await repo.commit(
      { 'app.ts': `one\n${code(TOKEN_C, 'side')}two\n${code(TOKEN_D, 'resolved')}three\nfour\n`, 'new.ts': code(NPM_TOKEN, 'npm') },
      { date: '2024-01-04T00:00:00Z', parents: [main, side], message: 'Merge side' },
    );

    const result = await history(repo.dir);
    expect(finding(result, TOKEN_D).occurrences.map((o) => [o.path, o.line, o.commit])).toEqual([['app.ts', 4, merge]]);
    expect(finding(result, NPM_TOKEN).occurrences.map((o) => [o.path, o.line, o.commit])).toEqual([['new.ts', 1, merge]]);
    // The side's secret is attributed to the side's commit only, not to the merge that brought it in.
    expect(finding(result, TOKEN_C).occurrences.map((o) => o.commit)).toEqual([side]);
    expect(result.stats.commitsScanned).toBe(4);
  });

  it('scans only the commits in --range, --branch, --since and --max-commits', async () => {
    const repo = await Repo.create();
    const old = await repo.commit({ 'a.ts': code(TOKEN_A) }, { date: '2024-01-01T00:00:00Z' });
    const mid = await repo.commit({ 'a.ts': code(TOKEN_A), 'b.ts': code(TOKEN_B) }, { date: '2024-02-01T00:00:00Z' });
    await repo.commit({ 'a.ts': code(TOKEN_A), 'b.ts': code(TOKEN_B), 'c.ts': code(TOKEN_C) }, { date: '2024-03-01T00:00:00Z' });
    await repo.commit({ 'a.ts': code(TOKEN_A), 'd.ts': code(TOKEN_D) }, { date: '2024-02-15T00:00:00Z', branch: 'topic', parents: [mid] });

    const secrets = (result: ScanResult) => result.findings.map((f) => f.secret).sort();
    const range = await history(repo.dir, { range: `${old}..main` });
    expect(secrets(range)).toEqual([TOKEN_B, TOKEN_C].sort());
    expect(range.stats.commitsScanned).toBe(2);
    expect(secrets(await history(repo.dir, { branch: 'topic' }))).toEqual([TOKEN_A, TOKEN_B, TOKEN_D].sort());
    expect(secrets(await history(repo.dir, { since: '2024-02-10' }))).toEqual([TOKEN_C, TOKEN_D].sort());
    expect(secrets(await history(repo.dir, { maxCommits: 1, branch: 'main' }))).toEqual([TOKEN_C]);
    expect(secrets(await history(repo.dir))).toEqual([TOKEN_A, TOKEN_B, TOKEN_C, TOKEN_D].sort());
  });

  it('takes paths with spaces, quotes, newlines, tabs and non-ASCII letters as they are', async () => {
    const repo = await Repo.create();
    const paths = ['dir with space/a b.ts', 'quote"d.ts', 'new\nline.ts', 'tab\there.ts', 'ünïcødé/файл.ts', ' lead.ts', 'a b/c d.ts'];
    const files = Object.fromEntries(paths.map((path, index) => [path, `${'\n'.repeat(index)}${code(TOKEN_E)}`]));
    await repo.commit(files, { date: '2024-01-01T00:00:00Z' });
    await repo.commit({ ...files, 'new\nline.ts': `x\n${files['new\nline.ts']}` }, { date: '2024-01-02T00:00:00Z' });

    const result = await history(repo.dir);
    const places = finding(result, TOKEN_E).occurrences.map((o) => [o.path, o.line]);
    expect(places).toEqual(expect.arrayContaining(paths.map((path, index) => [path, index + 1])));
    expect(places).toHaveLength(paths.length);
  });

  it('reads a path with a backslash natively; isomorphic-git refuses the commit and says so', async () => {
    const repo = await Repo.create();
    await repo.commit({ 'back\\slash.ts': code(TOKEN_A) }, { date: '2024-01-01T00:00:00Z' });
    const native = await scan({ kind: 'git', cwd: repo.dir, git: { engine: 'native' } });
    expect(finding(native, TOKEN_A).occurrences[0]!.path).toBe('back\\slash.ts');
    const isomorphic = await scan({ kind: 'git', cwd: repo.dir, git: { engine: 'isomorphic' } });
    expect(isomorphic.findings).toEqual([]);
    expect(isomorphic.errors).toEqual([{ path: expect.stringMatching(/^commit [0-9a-f]{12}$/), message: expect.stringMatching(/^cannot read it with isomorphic-git .*; skipped$/) }]);
  });

  it('skips and counts binary, non-UTF-8 and over-size blobs, and does not enter submodules', async () => {
    const repo = await Repo.create();
    await repo.commit(
      {
        'image.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(code(TOKEN_A))]),
        'latin1.txt': Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(`\n${code(TOKEN_B)}`)]),
        'big.ts': `${'// filler line\n'.repeat(200)}${code(TOKEN_C)}`,
        'ok.ts': code(TOKEN_D),
        vendor: { submodule: 'a'.repeat(40) },
      },
      { date: '2024-01-01T00:00:00Z' },
    );
    const result = await history(repo.dir, { maxFileSize: 1024 });
    expect(result.findings.map((f) => f.secret)).toEqual([TOKEN_D]);
    expect(result.stats.skipped).toEqual({ binary: 1, tooLarge: 1, symlink: 0, unreadable: 0, nonUtf8: 1 });
    expect(result.stats.blobsScanned).toBe(1);
  });

  it('scans a detached HEAD and says whether HEAD (not the branch) still holds the secret', async () => {
    const repo = await Repo.create();
    const first = await repo.commit({ 'a.ts': code(TOKEN_A) }, { date: '2024-01-01T00:00:00Z' });
    await repo.commit({ 'a.ts': '// gone\n' }, { date: '2024-01-02T00:00:00Z' });
    repo.checkout(first); // detached at the commit that still has it
    expect(finding(await history(repo.dir), TOKEN_A).presentAtHead).toBe(true);
    repo.checkout('main');
    expect(finding(await history(repo.dir), TOKEN_A).presentAtHead).toBe(false);
  });

  it('finds a secret still at HEAD at the end of a large file, among other files (presentAtHead reads whole blobs)', async () => {
    const repo = await Repo.create();
    const filler = 'const padding = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];\n'.repeat(30_000);
    await repo.commit({ 'a.ts': code(TOKEN_A), 'small.ts': 'x\n' }, { date: '2024-01-01T00:00:00Z' });
    await repo.commit({ 'big/bundle.js': `${filler}${code(TOKEN_A, 'copied')}`, 'small.ts': 'y\n' }, { date: '2024-01-02T00:00:00Z' });
    const secret = finding(await history(repo.dir), TOKEN_A);
    expect(secret.occurrences.map((o) => o.path)).toEqual(['a.ts', 'big/bundle.js']);
    expect(secret.presentAtHead).toBe(true);
  });

  it('reports an empty repository as empty, with a notice', async () => {
    const repo = await Repo.create();
    const result = await history(repo.dir);
    expect(result.findings).toEqual([]);
    expect(result.stats).toMatchObject({ commitsScanned: 0, blobsScanned: 0 });
    expect(result.notices).toEqual([expect.stringMatching(/^the repository has no commits yet/)]);
  });

  it('scans what a shallow clone holds and says it is shallow', async () => {
    const repo = await Repo.create();
    await repo.commit({ 'a.ts': code(TOKEN_A) }, { date: '2024-01-01T00:00:00Z' });
    await repo.commit({ 'a.ts': '// removed\n' }, { date: '2024-01-02T00:00:00Z' });
    await repo.commit({ 'a.ts': '// removed\n', 'b.ts': code(TOKEN_B) }, { date: '2024-01-03T00:00:00Z' });
    const clone = await tempTree();
    run(clone, ['clone', '-q', '--depth', '2', `file://${repo.dir}`, 'shallow']);
    const result = await history(join(clone, 'shallow'));
    expect(result.stats.git).toEqual({ engine: 'git', shallow: true });
    expect(result.stats.commitsScanned).toBe(2);
    expect(result.notices).toEqual([expect.stringMatching(/^shallow clone: /)]);
    // The deleted secret's commit is not in the clone; the oldest commit present shows its files as added.
    expect(result.findings.map((f) => f.secret)).toEqual([TOKEN_B]);
  });

  it('treats a renamed file as moved, not added, and a copy with edits as its added lines only', async () => {
    const repo = await Repo.create();
    const body = Array.from({ length: 20 }, (_, i) => `const line${i} = compute(${i});\n`).join('');
    const first = await repo.commit({ 'old/name.ts': `${body}${code(TOKEN_A)}` }, { date: '2024-01-01T00:00:00Z' });
    await repo.commit({ 'new/name.ts': `${body}${code(TOKEN_A)}` }, { date: '2024-01-02T00:00:00Z' });
    const edited = await repo.commit({ 'moved/again.ts': `${body}${code(TOKEN_A)}${code(TOKEN_B, 'other')}` }, { date: '2024-01-03T00:00:00Z' });
    const result = await history(repo.dir);
    expect(finding(result, TOKEN_A).occurrences.map((o) => [o.path, o.commit])).toEqual([['old/name.ts', first]]);
    expect(finding(result, TOKEN_B).occurrences.map((o) => [o.path, o.line, o.commit])).toEqual([['moved/again.ts', 22, edited]]);
  });

  it('numbers lines as Git does in a file with lone CRs (old Mac line ends), inside a hunk and before it', async () => {
    const repo = await Repo.create();
    const head = 'first\rstill line one for git\nsecond\n';
    await repo.commit({ 'mac.ts': head }, { date: '2024-01-01T00:00:00Z' });
    const added = await repo.commit({ 'mac.ts': `${head}third\r${code(TOKEN_A)}` }, { date: '2024-01-02T00:00:00Z' });
    const result = await history(repo.dir);
    // git grep -n counts LF-ended lines: the token is on line 3 of that version, not 5.
    const grepped = run(repo.dir, ['grep', '-n', TOKEN_A, added, '--', 'mac.ts']);
    expect(grepped).toMatch(new RegExp(`^${added}:mac\\.ts:3:`));
    expect(finding(result, TOKEN_A).occurrences.map((o) => [o.line, o.endLine, o.commit])).toEqual([[3, 3, added]]);
  });

  it('finds a multi-line private key added in one commit, with its span', async () => {
    const repo = await Repo.create();
    await repo.commit({ 'keys/id_rsa': `${PEM}\n` }, { date: '2024-01-01T00:00:00Z' });
    const result = await history(repo.dir);
    const key = result.findings.find((f) => f.rule.id.includes('private-key'));
    expect(key?.occurrences[0]).toMatchObject({ path: 'keys/id_rsa', line: 1, endLine: PEM.split('\n').length });
  });

  it('honours --exclude and allowlisted paths in history', async () => {
    const repo = await Repo.create();
    await repo.commit({ 'fixtures/a.ts': code(TOKEN_A), 'src/b.ts': code(TOKEN_B) }, { date: '2024-01-01T00:00:00Z' });
    const result = await scan({ kind: 'git', cwd: repo.dir, exclude: ['fixtures/'] });
    expect(result.findings.map((f) => f.secret)).toEqual([TOKEN_B]);
  });

  it('says which repository is wrong, and which revision', async () => {
    const notRepo = await tempTree({ 'a.txt': 'x\n' });
    await expect(scan({ kind: 'git', cwd: notRepo, git: { engine: 'native' } })).rejects.toThrow(/not a Git repository/);
    const repo = await Repo.create();
    await repo.commit({ 'a.ts': 'x\n' }, { date: '2024-01-01T00:00:00Z' });
    await expect(scan({ kind: 'git', cwd: repo.dir, git: { range: 'nope..main', engine: 'native' } })).rejects.toThrow(/^nope\.\.main: not a revision or range/);
    await expect(scan({ kind: 'git', cwd: repo.dir, git: { range: 'nope..main', engine: 'isomorphic' } })).rejects.toThrow(/^nope\.\.main: not a revision or range/);
  });
});

describe('secretscan git --staged', () => {
  async function stagedRepo() {
    const repo = await Repo.create();
    const lines = Array.from({ length: 10 }, (_, i) => `const value${i} = ${i};\n`);
    await repo.commit({ 'src/app.ts': lines.join(''), 'src/old.ts': code(TOKEN_A, 'legacy') }, { date: '2024-01-01T00:00:00Z' });
    repo.checkout();
    return { repo, lines };
  }

  async function staged(dir: string, engine: 'native' | 'isomorphic' = 'native') {
    return scan({ kind: 'staged', cwd: dir, git: { engine } });
  }

  it('reports only what is staged, with the staged file\u2019s line numbers; unstaged edits and old secrets are not reported', async () => {
    const { repo, lines } = await stagedRepo();
    const file = join(repo.dir, 'src/app.ts');
    const stagedText = [...lines.slice(0, 4), code(TOKEN_B), ...lines.slice(4)].join('');
    fs.writeFileSync(file, stagedText);
    fs.appendFileSync(join(repo.dir, 'src/old.ts'), '// touched, secret line unchanged\n');
    run(repo.dir, ['add', 'src/app.ts', 'src/old.ts']);
    // After staging: a second secret in the work tree only.
    fs.writeFileSync(file, `${stagedText}${code(TOKEN_C, 'unstaged')}`);

    for (const engine of ['native', 'isomorphic'] as const) {
      const result = await staged(repo.dir, engine);
      expect(result.findings.map((f) => f.secret)).toEqual([TOKEN_B]);
      expect(result.findings[0]!.occurrences).toEqual([{ path: 'src/app.ts', line: 5, column: 23, endLine: 5, endColumn: 63, source: 'staged' }]);
      expect(result.findings[0]!.presentAtHead).toBe(true);
      expect(result.stats).toMatchObject({ kind: 'staged', filesScanned: 2, commitsScanned: 0 });
    }
  });

  it('finds a multi-line key whose middle line the change touches: the stretch around it reaches the key\u2019s header', async () => {
    const repo = await Repo.create();
    const pem = PEM.split('\n');
    const broken = [...pem.slice(0, 5), ...pem.slice(6)].join('\n');
    await repo.commit({ 'key.pem': `${broken}\n` }, { date: '2024-01-01T00:00:00Z' });
    repo.checkout();
    fs.writeFileSync(join(repo.dir, 'key.pem'), `${PEM}\n`);
    run(repo.dir, ['add', 'key.pem']);
    for (const engine of ['native', 'isomorphic'] as const) {
      const result = await staged(repo.dir, engine);
      expect(result.findings.map((f) => f.occurrences[0]!.line)).toEqual([1]);
    }
  });

  it('rebuilds each staged file byte for byte from the diff, however the output is cut into chunks', async () => {
    const repo = await Repo.create();
    const large = Array.from({ length: 6000 }, (_, i) => `export const value${i} = compute(${i}, 'label');\n`).join('');
    await repo.commit({ 'big.ts': large, 'crlf.txt': 'one\r\ntwo\r\n', 'tail.txt': 'a\nb\n' }, { date: '2024-01-01T00:00:00Z' });
    repo.checkout();
    const files: Record<string, string> = {
      'big.ts': `${large.slice(0, 100_000)}export const added = 1;\n${large.slice(100_000)}export const last = 2;\n`,
      'crlf.txt': 'one\r\n\r\nadded\r\ntwo\r\n',
      'tail.txt': 'a\n\n\nb\nno newline at the end',
      'new file.txt': 'fresh\n',
    };
    for (const [path, text] of Object.entries(files)) fs.writeFileSync(join(repo.dir, path), text);
    run(repo.dir, ['add', '.']);
    const { openNative } = await import('../../src/sources/git-native.js');
    const repository = await openNative(repo.dir);
    const seen: Record<string, string> = {};
    for await (const file of repository.staged({ maxFileSize: 1e9, isExcluded: () => false }, newGitReport())) seen[file.origin.path] = Buffer.from(file.bytes).toString('utf8');
    expect(seen).toEqual(files);
  });

  it('works before the first commit, on new files, and with nothing staged', async () => {
    const repo = await Repo.create();
    fs.mkdirSync(join(repo.dir, 'dir with space'));
    fs.writeFileSync(join(repo.dir, 'dir with space/new "file".ts'), `// new\n${code(TOKEN_D)}`);
    run(repo.dir, ['add', '.']);
    for (const engine of ['native', 'isomorphic'] as const) {
      const result = await staged(repo.dir, engine);
      expect(result.findings[0]!.occurrences.map((o) => [o.path, o.line])).toEqual([['dir with space/new "file".ts', 2]]);
    }
    run(repo.dir, ['rm', '-q', '--cached', '-r', '.']);
    expect((await staged(repo.dir)).findings).toEqual([]);
  });
});

describe('the patch parser and the line diff', () => {
  it.each([
    ['plain', 'a/b.ts', 'a/b.ts'],
    ['quoted with escapes', '"new\\nline \\"q\\".txt"', 'new\nline "q".txt'],
    ['octal bytes', '"caf\\303\\251.txt"', 'café.txt'],
    ['backslash and tab', '"a\\\\b\\tc"', 'a\\b\tc'],
  ])('unquotes a %s path', (_name, quoted, expected) => {
    expect(unquote(quoted)).toBe(expected);
  });

  it('keeps runs of added lines with their new line numbers, across hunks and combined diffs', () => {
    const report = newGitReport();
    const parser = new PatchParser({ maxFileSize: 1e6, isExcluded: () => false }, report);
    const input = [
      '\x00c1\x00\x002024-01-01T00:00:00+00:00\x00Ada\x00ada@example.org',
      '',
      'diff --git a/f.ts b/f.ts',
      'index 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222 100644',
      '--- a/f.ts',
      '+++ b/f.ts',
      '@@ -2,0 +3,2 @@ ctx',
      '+three',
      '+four',
      '@@ -9 +11 @@',
      '-old',
      '+eleven',
      '\\ No newline at end of file',
      '\x00c2\x00p1 p2\x002024-01-02T00:00:00+00:00\x00Bo\x00bo@example.org',
      '',
      'diff --cc m.ts',
      'index 1,2..3333333333333333333333333333333333333333',
      '--- a/m.ts',
      '+++ b/m.ts',
      '@@@ -1,0 -1,1 +1,3 @@@',
      ' +from side',
      '++resolved',
      ' -dropped',
      '++also new',
    ];
    const chunks = input.flatMap((line) => parser.line(Buffer.from(line)) ?? []).concat(parser.end() ?? []);
    expect(chunks.map((c) => [c.origin.path, c.origin.commit, c.startLine, Buffer.from(c.bytes).toString()])).toEqual([
      ['f.ts', 'c1', 3, 'three\nfour\n'],
      ['f.ts', 'c1', 11, 'eleven\n'],
      ['m.ts', 'c2', 2, 'resolved\nalso new\n'],
    ]);
    expect(report.commits).toBe(2);
  });

  it.each([
    ['an insertion', 'a\nb\nc\n', 'a\nX\nb\nc\n', [1]],
    ['a replacement', 'a\nb\nc\n', 'a\nB\nc\n', [1]],
    ['a missing final newline', 'a\nb', 'a\nb\nc\n', [1, 2]],
    ['a new file', '', 'x\ny\n', [0, 1]],
    ['a deletion', 'a\nb\n', 'a\n', []],
  ])('diffs lines: %s', (_name, before, after, expected) => {
    const flags = addedLines(splitLines(Buffer.from(before)), splitLines(Buffer.from(after)));
    expect(flags.flatMap((flag, index) => (flag ? [index] : []))).toEqual(expected);
  });
});

async function jsonReport(dir: string) {
  const { run: cli } = await import('../../src/cli.js');
  let out = '';
  await cli(['git', '-f', 'json'], { stdout: { write: (text: string) => (out += text) }, stderr: { write: () => undefined }, stdin: (async function* () {})(), cwd: dir, env: {} });
  return JSON.parse(out);
}
