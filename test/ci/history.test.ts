/**
 * The CI checks on Git history (`secretscan git`, ranges, --staged): each version of a CI file a commit
 * touched is checked whole, and a problem is reported at the commit whose added lines hold it. Repositories
 * are built at test time with the git binary, with fixed authors and dates.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import type { ScanResult } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree, writeTree } from '../helpers/tmp.js';

interface JsonFinding {
  ruleId: string;
  kind: string;
  secret: string;
  presentAtHead: boolean;
  occurrences: { path: string; line: number; column: number; source: string; commit?: string; author?: string; date?: string }[];
}

const WORKFLOW = '.github/workflows/ci.yml';

/** A workflow from parts, so each commit changes exactly the lines a test means it to. */
function workflow(parts: { trigger?: string; permissions?: string; run?: string; extraStep?: string }): string {
  return [
    'name: ci',
    `on: ${parts.trigger ?? 'push'}`,
    ...(parts.permissions ? [`permissions: ${parts.permissions}`] : []),
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    ...(parts.extraStep ? [parts.extraStep] : []),
    `      - run: ${parts.run ?? 'npm test'}`,
    '',
  ].join('\n');
}

class Repo {
  private day = 1;
  private constructor(readonly dir: string) {}

  static async create(): Promise<Repo> {
    const repo = new Repo(await tempTree());
    repo.git(['init', '-q', '-b', 'main']);
    return repo;
  }

  git(args: string[]): string {
    const date = `2025-03-${String(this.day).padStart(2, '0')}T10:00:00+00:00`;
    return execFileSync('git', ['-c', 'user.name=Ada Park', '-c', 'user.email=ada@example.org', '-c', 'commit.gpgsign=false', ...args], {
      cwd: this.dir,
      env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      encoding: 'utf8',
    }).trim();
  }

  /** Writes `files` (null deletes), commits them, and returns the commit id. */
  async commit(files: Record<string, string | null>, message = 'change'): Promise<string> {
    for (const [path, content] of Object.entries(files)) {
      if (content === null) rmSync(join(this.dir, path));
      else await writeTree(this.dir, { [path]: content });
    }
    this.git(['add', '-A']);
    this.git(['commit', '-q', '-m', message]);
    this.day++;
    return this.git(['rev-parse', 'HEAD']);
  }
}

async function history(dir: string, args: string[] = []): Promise<{ code: number; findings: JsonFinding[]; report: Record<string, unknown> }> {
  const run = await runCli(['git', ...args, '-f', 'json'], { cwd: dir });
  expect(run.stderr).not.toMatch(/error/i);
  const report = JSON.parse(run.stdout);
  return { code: run.code, findings: report.findings, report };
}

const where = (finding: JsonFinding) => finding.occurrences.map((o) => `${o.path}:${o.line}@${o.commit?.slice(0, 7)}`);

describe('CI checks on history', () => {
  it('reports a problem once, at the commit that added it, not at later commits editing the file', async () => {
    const repo = await Repo.create();
    const first = await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all' }) }, 'add ci');
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all', run: 'npm ci && npm test' }) });
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all', run: 'npm ci && npm run test' }), 'README.md': 'hello\n' });

    const { code, findings } = await history(repo.dir);
    expect(code).toBe(1);
    const permissions = findings.filter((f) => f.ruleId === 'ci-excessive-permissions');
    expect(permissions).toHaveLength(1);
    expect(where(permissions[0]!)).toEqual([`${WORKFLOW}:3@${first.slice(0, 7)}`]);
    expect(permissions[0]!.occurrences[0]).toMatchObject({ source: 'history', column: 14, author: 'Ada Park', date: '2025-03-01T10:00:00+00:00', commit: first });
    expect(permissions[0]).toMatchObject({ kind: 'posture', secret: 'permissions: write-all', presentAtHead: true });
  });

  it('attributes a problem to the commit whose added lines hold it, even when the file existed before', async () => {
    const repo = await Repo.create();
    await repo.commit({ [WORKFLOW]: workflow({}) });
    const risky = await repo.commit({
      [WORKFLOW]: workflow({ trigger: 'pull_request_target', extraStep: '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}' }),
    });
    const { findings } = await history(repo.dir);
    const checkout = findings.find((f) => f.ruleId === 'ci-untrusted-checkout');
    expect(checkout).toBeDefined();
    expect(checkout!.occurrences.map((o) => o.commit)).toEqual([risky]);
    expect(checkout!.occurrences[0]!.line).toBe(10);
    // Still in HEAD, though no file holds the words of its description: HEAD's version was checked.
    expect(checkout!.presentAtHead).toBe(true);
    // No permissions: block on a risky trigger: the trigger line is what that commit added.
    const permissions = findings.find((f) => f.ruleId === 'ci-excessive-permissions');
    expect(permissions && where(permissions)).toEqual([`${WORKFLOW}:2@${risky.slice(0, 7)}`]);
  });

  it('groups a problem re-introduced later into one finding with both places, and asks HEAD\'s CI files whether it is fixed', async () => {
    const repo = await Repo.create();
    const added = await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all' }) });
    const printed = await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all', run: 'echo "${{ secrets.DEPLOY_TOKEN }}"' }) });
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'read-all' }) });
    const again = await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all' }) });
    // Fixed at HEAD, though a note in the README quotes the words: HEAD's workflow decides, not a text search.
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'read-all' }), 'NOTES.md': 'We used to have permissions: write-all here.\n' });

    const { findings } = await history(repo.dir);
    const permissions = findings.filter((f) => f.ruleId === 'ci-excessive-permissions');
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.occurrences.map((o) => o.commit).sort()).toEqual([added, again].sort());
    expect(permissions[0]!.presentAtHead).toBe(false);
    // Printed in one commit, gone since: reported there, and not at HEAD any more.
    const logged = findings.find((f) => f.ruleId === 'ci-secret-in-logs');
    expect(logged).toMatchObject({ presentAtHead: false, secret: 'secrets.DEPLOY_TOKEN printed in a script' });
    expect(logged!.occurrences.map((o) => o.commit)).toEqual([printed]);
  });

  it('checks only the commits of a range', async () => {
    const repo = await Repo.create();
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all' }) });
    const base = await repo.commit({ [WORKFLOW]: workflow({ permissions: 'read-all' }) });
    const head = await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all', run: 'npm ci' }) });
    const { findings } = await history(repo.dir, ['--range', `${base}..HEAD`]);
    const permissions = findings.filter((f) => f.ruleId === 'ci-excessive-permissions');
    expect(permissions.flatMap((f) => f.occurrences.map((o) => o.commit))).toEqual([head]);
  });

  it('redacts the CI findings that are secrets, and shows posture problems in clear', async () => {
    const repo = await Repo.create();
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all', extraStep: '        env:\n          DB_PASSWORD: hunter2hunter2' }) });
    const { findings } = await history(repo.dir);
    expect(findings.find((f) => f.ruleId === 'ci-hardcoded-secret')).toMatchObject({ kind: 'secret', secret: 'hun…(redacted)' });
    expect(findings.find((f) => f.ruleId === 'ci-excessive-permissions')).toMatchObject({ kind: 'posture', secret: 'permissions: write-all' });
    const shown = await history(repo.dir, ['--show-secrets']);
    expect(shown.findings.find((f) => f.ruleId === 'ci-hardcoded-secret')?.secret).toBe('hunter2hunter2');
  });

  it('is suppressed by a baseline, including one written from the working tree', async () => {
    const repo = await Repo.create();
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all' }) });
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all', run: 'npm ci' }) });
    // The same problem in the working tree and in history is the same finding id.
    expect((await runCli(['baseline', '.'], { cwd: repo.dir })).code).toBe(0);
    expect(existsSync(join(repo.dir, '.secretscan-baseline.json'))).toBe(true);
    const { code, findings, report } = await history(repo.dir);
    expect(findings.filter((f) => f.ruleId === 'ci-excessive-permissions')).toEqual([]);
    expect((report.suppressed as { baseline: number }).baseline).toBeGreaterThan(0);
    expect(code).toBe(0);
  });

  it('reads every CI file version through one git cat-file --batch, not one process per file', async () => {
    const repo = await Repo.create();
    for (let i = 0; i < 6; i++) {
      await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all', run: `npm test -- --shard=${i}` }), [`.github/workflows/job${i}.yml`]: workflow({ run: `echo ${i}` }) });
    }
    // A secret, so presentAtHead has something to look for in HEAD's files (posture problems it does not).
    await repo.commit({ 'config.env': `GITHUB_TOKEN=${createFaker(5).make('github:ghp')}\n` });
    const trace = join(repo.dir, '..', `${repo.dir.split('/').pop()}-trace.log`);
    const previous = process.env.GIT_TRACE;
    process.env.GIT_TRACE = trace;
    try {
      await history(repo.dir);
    } finally {
      if (previous === undefined) delete process.env.GIT_TRACE;
      else process.env.GIT_TRACE = previous;
    }
    const batches = readFileSync(trace, 'utf8').split('\n').filter((line) => /built-in: git .*cat-file '?--batch'?$/.test(line));
    rmSync(trace, { force: true });
    // Twelve versions of seven CI files: one reader for them all, and presentAtHead's own for the secret.
    expect(batches).toHaveLength(2);
  });

  it('can be turned off with ci: false', async () => {
    const repo = await Repo.create();
    await repo.commit({ '.secretscanrc': 'ci: false\n', [WORKFLOW]: workflow({ permissions: 'write-all' }) });
    const { findings } = await history(repo.dir);
    expect(findings.filter((f) => f.ruleId.startsWith('ci-'))).toEqual([]);
  });

  it('gives the same findings with the isomorphic-git engine', async () => {
    const repo = await Repo.create();
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all' }) });
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all', trigger: 'pull_request_target', run: 'echo "${{ secrets.NPM_TOKEN }}"' }) });
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'read-all', trigger: 'pull_request_target' }) });
    const summary = (result: ScanResult) =>
      result.findings.map((f) => ({ rule: f.rule.id, secret: f.secret, presentAtHead: f.presentAtHead, at: f.occurrences.map((o) => `${o.path}:${o.line}:${o.column}@${o.commit}`) }));
    const native = await scan({ kind: 'git', cwd: repo.dir, git: { engine: 'native' } });
    const isomorphic = await scan({ kind: 'git', cwd: repo.dir, git: { engine: 'isomorphic' } });
    expect(summary(native).some((f) => f.rule === 'ci-secret-in-logs')).toBe(true);
    expect(summary(isomorphic)).toEqual(summary(native));
  });
});

describe('CI checks on --staged', () => {
  it('checks the staged version whole and keeps what the change adds', async () => {
    const repo = await Repo.create();
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all' }) });
    // Staged: a trigger that makes the checkout untrusted, and a new step printing a secret.
    await writeTree(repo.dir, {
      [WORKFLOW]: workflow({ permissions: 'write-all', trigger: 'pull_request_target', run: 'echo "${{ secrets.NPM_TOKEN }}"', extraStep: '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}' }),
    });
    repo.git(['add', WORKFLOW]);
    const run = await runCli(['git', '--staged', '-f', 'json'], { cwd: repo.dir });
    const findings: JsonFinding[] = JSON.parse(run.stdout).findings;
    const rules = findings.map((f) => `${f.ruleId}@${f.occurrences[0]!.line}`).sort();
    expect(rules).toEqual(['ci-secret-in-logs@12', 'ci-secret-interpolated-in-script@12', 'ci-untrusted-checkout@11'].sort());
    // write-all was committed before: its line is not part of this change.
    expect(findings.every((f) => f.occurrences.every((o) => o.source === 'staged'))).toBe(true);
    expect(run.code).toBe(1);
  });

  it('is quiet when the staged change adds no problem to a CI file that has one', async () => {
    const repo = await Repo.create();
    await repo.commit({ [WORKFLOW]: workflow({ permissions: 'write-all' }) });
    await writeTree(repo.dir, { [WORKFLOW]: workflow({ permissions: 'write-all', run: 'npm ci' }) });
    repo.git(['add', WORKFLOW]);
    const run = await runCli(['git', '--staged', '-f', 'json'], { cwd: repo.dir });
    expect(JSON.parse(run.stdout).findings).toEqual([]);
    expect(run.code).toBe(0);
  });
});
