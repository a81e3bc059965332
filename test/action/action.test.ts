/**
 * The GitHub Action (action.yml) run locally: a small runner reads action.yml and runs its steps the way
 * Actions does (step `if:` conditions, `${{ }}` in `env:`, step outputs through $GITHUB_OUTPUT, $GITHUB_ENV,
 * bash with -eo pipefail), against Git repositories built at test time and the event payloads GitHub
 * sends for pushes and pull requests. `uses:` steps (setup-node, the code-scanning upload) are not run:
 * the runner records whether they would be, and with what. secretscan is this checkout's own CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { PINNED_ACTIONS } from '../../src/commands/init.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree } from '../helpers/tmp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'secretscan.js');
const ACTION = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionFile;

const faker = createFaker(31337);
const [TOKEN_A, TOKEN_B] = [faker.make('github:ghp'), faker.make('github:ghp')];

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface ActionFile {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}

interface StepRecord {
  name: string;
  ran: boolean;
  status?: number;
  stdout?: string;
  with?: Record<string, string>;
}

interface Run {
  steps: StepRecord[];
  outputs: Record<string, Record<string, string>>;
  /** 0 when every step that ran succeeded, else the first failing step's exit status. */
  jobStatus: number;
  summary: string;
  step(name: string): StepRecord;
}

/** Evaluates the few expression forms action.yml uses. */
function evaluate(expression: string, context: { inputs: Record<string, string>; steps: Record<string, Record<string, string>>; env: Record<string, string | undefined>; failed: boolean }): string {
  const value = (path: string): string => {
    const [scope, ...rest] = path.trim().split('.');
    if (scope === 'inputs') return context.inputs[rest.join('.')] ?? '';
    if (scope === 'steps') return context.steps[rest[0]!]?.[rest[2]!] ?? '';
    if (scope === 'env') return context.env[rest.join('.')] ?? '';
    if (scope === 'github') return '';
    throw new Error(`the test runner does not know ${path}`);
  };
  return expression.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, path: string) => value(path));
}

function condition(text: string | undefined, context: Parameters<typeof evaluate>[1]): boolean {
  if (text === undefined) return !context.failed;
  const clauses = text.split('&&').map((clause) => clause.trim());
  if (!clauses.includes('always()') && context.failed) return false;
  return clauses.every((clause) => {
    if (clause === 'always()') return true;
    const match = /^([\w.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(clause);
    if (!match) throw new Error(`the test runner does not understand the condition ${clause}`);
    const actual = evaluate(`\${{ ${match[1]} }}`, context);
    return match[2] === '==' ? actual === match[3] : actual !== match[3];
  });
}

async function runAction(options: { workspace: string; inputs?: Record<string, string>; eventName: string; event: object; sha: string }): Promise<Run> {
  const temp = await tempTree();
  const eventPath = join(temp, 'event.json');
  await writeFile(eventPath, JSON.stringify(options.event));
  const summaryPath = join(temp, 'summary.md');
  await writeFile(summaryPath, '');
  const inputs = Object.fromEntries(Object.entries(ACTION.inputs).map(([name, input]) => [name, options.inputs?.[name] ?? input.default ?? '']));
  inputs.token = '';
  const jobEnv: Record<string, string | undefined> = {
    ...process.env,
    SECRETSCAN_COMMAND: JSON.stringify([process.execPath, BIN]),
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: options.sha,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_WORKSPACE: options.workspace,
    RUNNER_TEMP: temp,
    NO_COLOR: '1',
  };
  const steps: Record<string, Record<string, string>> = {};
  const records: StepRecord[] = [];
  let jobStatus = 0;
  for (const [index, step] of ACTION.runs.steps.entries()) {
    const context = { inputs, steps, env: jobEnv, failed: jobStatus !== 0 };
    if (!condition(step.if, context)) {
      records.push({ name: step.name, ran: false });
      continue;
    }
    if (step.uses) {
      records.push({ name: step.name, ran: true, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, evaluate(String(v), context)])) });
      continue;
    }
    const outputFile = join(temp, `output-${index}`);
    const envFile = join(temp, `env-${index}`);
    await writeFile(outputFile, '');
    await writeFile(envFile, '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v), context)]));
    expect(step.shell).toBe('bash');
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
      cwd: options.workspace,
      encoding: 'utf8',
      env: { ...jobEnv, ...stepEnv, GITHUB_OUTPUT: outputFile, GITHUB_ENV: envFile },
    });
    records.push({ name: step.name, ran: true, status: result.status ?? 1, stdout: result.stdout + result.stderr });
    if (step.id) steps[step.id] = parseKeyValues(await readFile(outputFile, 'utf8'));
    Object.assign(jobEnv, parseKeyValues(await readFile(envFile, 'utf8')));
    if (result.status !== 0 && jobStatus === 0) jobStatus = result.status ?? 1;
  }
  const summary = await readFile(summaryPath, 'utf8');
  return {
    steps: records,
    outputs: steps,
    jobStatus,
    summary,
    step(name) {
      const record = records.find((r) => r.name === name);
      if (!record) throw new Error(`no step named ${name}`);
      return record;
    },
  };
}

function parseKeyValues(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** A repository with a clean first commit, a second that adds a GitHub token, a third that is clean. */
async function fixtureRepository() {
  const dir = await tempTree();
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 'Ada Park', GIT_AUTHOR_EMAIL: 'ada@example.org', GIT_COMMITTER_NAME: 'Ada Park', GIT_COMMITTER_EMAIL: 'ada@example.org', GIT_AUTHOR_DATE: '2025-03-14T09:30:00Z', GIT_COMMITTER_DATE: '2025-03-14T09:30:00Z' },
    }).trim();
  const commit = async (files: Record<string, string>, message: string) => {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  git('init', '-q', '-b', 'main');
  const clean = await commit({ 'README.md': '# service\n' }, 'start');
  const leak = await commit({ 'src/deploy.ts': `export const token = "${TOKEN_A}";\n` }, 'deploy script');
  const after = await commit({ 'README.md': '# service\n\nDeploys itself.\n' }, 'docs');
  return { dir, git, commit, clean, leak, after };
}

function pullRequest(base: string, head: string) {
  return { pull_request: { base: { sha: base }, head: { sha: head } }, repository: { default_branch: 'main' } };
}

describe('the GitHub Action, run locally', () => {
  it('fails a pull request that adds a secret, with a job summary that names it and shows no secret', async () => {
    const repo = await fixtureRepository();
    const run = await runAction({ workspace: repo.dir, eventName: 'pull_request', event: pullRequest(repo.clean, repo.after), sha: repo.after, inputs: { 'upload-sarif': 'false' } });
    expect(run.step('Install secretscan').ran).toBe(false);
    expect(run.outputs.scan).toMatchObject({ 'exit-code': '1', range: `${repo.clean}..${repo.after}`, findings: '1' });
    const report = JSON.parse(await readFile(run.outputs.scan!['json-file']!, 'utf8'));
    expect(report.scan).toMatchObject({ kind: 'git', commitsScanned: 2 });
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['github-pat-classic']);
    expect(run.step('Upload to code scanning').ran).toBe(false);
    expect(run.step('Job summary')).toMatchObject({ ran: true, status: 0 });
    expect(run.step('Fail on new findings')).toMatchObject({ ran: true, status: 1 });
    expect(run.step('Fail on new findings').stdout).toContain('::error title=secretscan::new secrets at or above low');
    expect(run.jobStatus).toBe(1);

    const severity = report.findings[0].severity;
    expect(run.summary).toContain(`**1 new secret** in \`${repo.clean}..${repo.after}\` (2 commits scanned): 1 ${severity}.`);
    expect(run.summary).toContain(`| ${severity} (${report.findings[0].score}) | GitHub personal access token (classic) | \`src/deploy.ts:1\` | \`${repo.leak.slice(0, 12)}\` | \`github-pat-classic\` |`);
    expect(run.summary).toContain('The job fails: 1 is at or above `low`.');
    for (let i = 0; i + 12 <= TOKEN_A.length; i++) expect(run.summary).not.toContain(TOKEN_A.slice(i, i + 12));
  });

  it('passes a push whose own commits are clean, though an earlier commit leaked', async () => {
    const repo = await fixtureRepository();
    const run = await runAction({ workspace: repo.dir, eventName: 'push', event: { before: repo.leak, after: repo.after, repository: { default_branch: 'main' } }, sha: repo.after, inputs: { 'upload-sarif': 'false' } });
    expect(run.outputs.scan).toMatchObject({ 'exit-code': '0', range: `${repo.leak}..${repo.after}`, findings: '0' });
    expect(run.step('Fail on new findings')).toMatchObject({ status: 0 });
    expect(run.jobStatus).toBe(0);
    expect(run.summary).toContain(`✅ No new secrets in \`${repo.leak}..${repo.after}\` (1 commit scanned).`);
  });

  it('scans what a new branch adds to the default branch', async () => {
    const repo = await fixtureRepository();
    const origin = await tempTree();
    execFileSync('git', ['clone', '-q', '--bare', repo.dir, origin]);
    repo.git('remote', 'add', 'origin', origin);
    repo.git('fetch', '-q', 'origin');
    repo.git('checkout', '-q', '-b', 'feature');
    const feature = await repo.commit({ 'config/ci.env': `GH_TOKEN=${TOKEN_B}\n` }, 'ci token');
    const run = await runAction({
      workspace: repo.dir,
      eventName: 'push',
      event: { before: '0'.repeat(40), after: feature, ref: 'refs/heads/feature', repository: { default_branch: 'main' } },
      sha: feature,
      inputs: { 'upload-sarif': 'false' },
    });
    expect(run.outputs.scan).toMatchObject({ 'exit-code': '1', range: `origin/main..${feature.slice(0, 12)}`, findings: '1' });
    const report = JSON.parse(await readFile(run.outputs.scan!['json-file']!, 'utf8'));
    expect(report.findings.map((f: { occurrences: { path: string }[] }) => f.occurrences[0]!.path)).toEqual(['config/ci.env']);
  });

  it('fails only at or above fail-on, and still lists what it found', async () => {
    const repo = await fixtureRepository();
    const run = await runAction({ workspace: repo.dir, eventName: 'pull_request', event: pullRequest(repo.clean, repo.after), sha: repo.after, inputs: { 'upload-sarif': 'false', 'fail-on': 'never' } });
    expect(run.outputs.scan!['exit-code']).toBe('0');
    expect(run.jobStatus).toBe(0);
    expect(run.summary).toContain('**1 new secret**');
    expect(run.summary).toContain('None is at or above `never`, so the job does not fail on them.');
  });

  it('fails with the reason when the scan cannot run, and says so in the summary', async () => {
    const repo = await fixtureRepository();
    const run = await runAction({ workspace: repo.dir, eventName: 'pull_request', event: pullRequest(repo.clean, repo.after), sha: repo.after, inputs: { 'upload-sarif': 'false', 'fail-on': 'severe' } });
    expect(run.outputs.scan).toMatchObject({ 'exit-code': '2', error: 'fail-on "severe" is not a severity; use critical, high, medium, low, info or never' });
    expect(run.step('Fail on new findings')).toMatchObject({ status: 2 });
    expect(run.step('Fail on new findings').stdout).toContain('::error title=secretscan::the scan did not complete: fail-on "severe" is not a severity');
    expect(run.summary).toContain('⚠️ The scan did not complete: fail-on "severe" is not a severity; use critical, high, medium, low, info or never.');
  });

  it('writes SARIF for the upload step, with the action\u2019s category', async () => {
    const repo = await fixtureRepository();
    const run = await runAction({ workspace: repo.dir, eventName: 'pull_request', event: pullRequest(repo.clean, repo.after), sha: repo.after });
    const sarifFile = run.outputs.scan!['sarif-file']!;
    expect(run.step('Upload to code scanning')).toMatchObject({ ran: true, with: { sarif_file: sarifFile, category: 'secretscan' } });
    const sarif = JSON.parse(await readFile(sarifFile, 'utf8'));
    expect(sarif.runs[0].automationDetails).toEqual({ id: 'secretscan/git/' });
    expect(sarif.runs[0].results).toHaveLength(1);
    expect(sarif.runs[0].results[0].properties.commit).toBe(repo.leak);
    expect(run.jobStatus).toBe(1);
  });

  it('does not fail on a finding the committed baseline accepts', async () => {
    const repo = await fixtureRepository();
    execFileSync(process.execPath, [BIN, 'baseline', repo.dir], { cwd: repo.dir });
    expect(existsSync(join(repo.dir, '.secretscan-baseline.json'))).toBe(true);
    const run = await runAction({ workspace: repo.dir, eventName: 'pull_request', event: pullRequest(repo.clean, repo.after), sha: repo.after, inputs: { 'upload-sarif': 'false' } });
    expect(run.outputs.scan!['exit-code']).toBe('0');
    expect(run.summary).toContain('Not reported: 1 by the baseline');
  });
});

describe('action.yml', () => {
  it('is a composite action of bash and Node steps only, pinning every action it uses by commit', () => {
    expect(ACTION.runs.using).toBe('composite');
    for (const step of ACTION.runs.steps) {
      if (step.uses) expect(step.uses).toMatch(/^[\w-]+\/[\w./-]+@[0-9a-f]{40}$/);
      else expect(step.shell).toBe('bash');
      // Inputs reach scripts through env, never spliced into the script text.
      if (step.run) expect(step.run).not.toContain('${{');
    }
    const upload = ACTION.runs.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.uses).toBe(PINNED_ACTIONS.uploadSarif.split(' #')[0]);
  });

  it('installs the secretscan version of this checkout by default', async () => {
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(ACTION.inputs.version!.default).toBe(manifest.version);
  });
});
