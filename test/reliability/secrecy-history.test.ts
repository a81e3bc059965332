/**
 * Secrecy of history scans: `secretscan git` over a repository whose history holds every built-in rule's
 * credential, a file added then deleted and a secret only on another branch, and `git --staged` over a
 * staged secret. No output may hold a 12-character piece of a secret unless --show-secrets; with it, the
 * secrets must show (so the check can fail). helpers-outputs.ts says how the tree is planted.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CI_CHECKS, LITERAL_VALUE_CHECKS } from '../../src/ci/rules.js';
import { buildPlantedRepo, checkable, hasScript, leaks, snapshotCli, type Cli, type PlantedRepo } from './helpers-outputs.js';

const PRACTICE_CHECKS = new Set(CI_CHECKS.map((check) => check.id).filter((id) => !LITERAL_VALUE_CHECKS.has(id)));

let work: string;
let cli: Cli;
let repo: PlantedRepo;
let secrets: string[];
let reported: string[];
let publicText: string;
let childTmp: string;

const env = () => ({ TMPDIR: childTmp, NO_COLOR: '1' });

function literalSecrets(json: string): string[] {
  const findings = (JSON.parse(json) as { findings: { ruleId: string; secret: string }[] }).findings;
  return checkable(findings.filter((finding) => !PRACTICE_CHECKS.has(finding.ruleId)).map((finding) => finding.secret));
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'secretscan-secrecy-history-'));
  childTmp = join(work, 'tmp');
  await mkdir(childTmp);
  cli = await snapshotCli(work);
  repo = await buildPlantedRepo(join(work, 'repo'));
  reported = literalSecrets((await cli.run(['git', '-f', 'json', '--show-secrets'], repo.root, env())).stdout);
  secrets = checkable([...repo.planted, ...reported]);
  publicText = (await cli.run(['rules', '--format', 'json'], repo.root, env())).stdout;
}, 90_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('secrecy of secretscan git', () => {
  it('finds the secrets only history holds: a deleted file and another branch', () => {
    expect(reported.length).toBeGreaterThan(250);
    for (const secret of repo.historyOnly) expect(reported).toContain(secret);
  });

  it.each([
    ['text --verbose', ['git', '--verbose']],
    ['json --verbose', ['git', '-f', 'json', '--verbose']],
    ['sarif', ['git', '-f', 'sarif']],
    ['gitlab', ['git', '-f', 'gitlab']],
  ])('%s holds no piece of any secret', async (_name, args) => {
    const run = await cli.run(args, repo.root, env());
    expect(run.code).toBe(1);
    expect(run.stdout.length).toBeGreaterThan(1000);
    expect(leaks(run.stdout + run.stderr, secrets, args.join(' '), publicText)).toEqual([]);
  });

  it('a baseline written from history, and a scan using it, hold no piece of any secret', async () => {
    const file = join(work, 'history-baseline.json');
    const written = await cli.run(['git', '--update-baseline', '--baseline', file, '-f', 'json'], repo.root, env());
    const baseline = await readFile(file, 'utf8');
    expect(Object.keys(JSON.parse(baseline)).length).toBeGreaterThan(250);
    const again = await cli.run(['git', '--baseline', file, '--verbose'], repo.root, env());
    expect(again.code).toBe(0);
    expect(leaks(written.stdout + written.stderr + baseline + again.stdout + again.stderr, secrets, 'git baseline', publicText)).toEqual([]);
  });

  it.runIf(hasScript())('the spinner and the report on a terminal hold no piece of any secret', async () => {
    const { screen, timedOut } = await cli.terminal(['git', '--verbose'], repo.root, { columns: 120 });
    expect(timedOut).toBe(false);
    expect(screen).toMatch(/scanning/);
    expect(leaks(screen, secrets, 'git on a terminal', publicText)).toEqual([]);
  });

  it('prints the secrets with --show-secrets, in every format', async () => {
    for (const format of ['text', 'sarif', 'gitlab']) {
      const run = await cli.run(['git', '-f', format, '--show-secrets'], repo.root, env());
      expect(leaks(run.stdout, reported, format).length, `${format}: secrets printed`).toBe(reported.length);
    }
  });
});

describe('secrecy of secretscan git --staged', () => {
  it.each([
    ['text --verbose', ['--verbose']],
    ['json', ['-f', 'json']],
    ['sarif', ['-f', 'sarif']],
    ['gitlab', ['-f', 'gitlab']],
  ])('%s holds no piece of any secret, and --show-secrets shows the staged one', async (_name, flags) => {
    const run = await cli.run(['git', '--staged', ...flags], repo.root, env());
    expect(run.code).toBe(1);
    expect(leaks(run.stdout + run.stderr, secrets, `git --staged ${flags.join(' ')}`, publicText)).toEqual([]);
    const shown = await cli.run(['git', '--staged', ...flags, '--show-secrets'], repo.root, env());
    expect(leaks(shown.stdout, repo.staged, 'staged --show-secrets')).toHaveLength(repo.staged.length);
  });

  it('leaves no temp file behind', async () => {
    expect(await readdir(childTmp)).toEqual([]);
  });
});
