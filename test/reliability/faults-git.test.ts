/**
 * Faults and scale in Git repositories built at test time with the git binary, scanned by the real CLI
 * in-process: a shallow clone (what CI checkouts are) and a repository with 100,000 refs.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree } from '../helpers/tmp.js';
import { parseReport } from './fault-helpers.js';

const faker = createFaker(0x617);
const token = () => faker.make('github:ghp');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.org', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.org' },
  }).trim();
}

async function commit(dir: string, files: Record<string, string>, message: string): Promise<string> {
  for (const [path, content] of Object.entries(files)) await writeFile(join(dir, path), content);
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
