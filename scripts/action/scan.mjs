#!/usr/bin/env node
/**
 * The scan step of the GitHub Action (action.yml): works out which commits the workflow run is about,
 * runs `secretscan git --range BASE..HEAD` for a JSON report (the pass/fail decision and the job summary)
 * and, unless turned off, again for SARIF (code scanning), and hands the results to the later steps as
 * step outputs. It never fails the step itself: upload and summary must still run, and the last step of
 * the action fails the job from the exit code recorded here.
 *
 * Plain Node, no dependencies: it runs from the action's checkout, where nothing is installed. Inputs
 * arrive as environment variables (never interpolated into a script, so no input can inject shell).
 *
 *   SECRETSCAN_COMMAND  JSON array: the command that runs secretscan (default ["secretscan"])
 *   INPUT_PATH          the repository (default ".")
 *   INPUT_FAIL_ON       critical|high|medium|low|info|never (default low)
 *   INPUT_BASELINE      baseline file, used when it exists (default .secretscan-baseline.json)
 *   INPUT_BASE, INPUT_HEAD   override the range worked out from the event
 *   INPUT_ARGS          more arguments for secretscan (quotes allowed)
 *   INPUT_SARIF         "false" to skip the SARIF pass
 *   GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_SHA, GITHUB_OUTPUT, RUNNER_TEMP: set by Actions
 *
 * Step outputs: exit-code (0, 1, 2), range, json-file, sarif-file, findings, error.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ZERO_SHA = /^0+$/;
const env = process.env;

function main() {
  const outputs = {};
  try {
    Object.assign(outputs, scan());
  } catch (error) {
    const message = error instanceof ActionError ? error.message : `internal error: ${error?.stack ?? error}`;
    console.log(`::error title=secretscan::${oneLine(message)}`);
    Object.assign(outputs, { 'exit-code': '2', error: oneLine(message) });
  }
  setOutputs(outputs);
}

function scan() {
  const repo = resolve(env.INPUT_PATH || '.');
  const failOn = env.INPUT_FAIL_ON || 'low';
  if (!['critical', 'high', 'medium', 'low', 'info', 'never'].includes(failOn)) {
    throw new ActionError(`fail-on "${failOn}" is not a severity; use critical, high, medium, low, info or never`);
  }
  const target = chooseRange(repo);
  if (target.skip) {
    console.log(`secretscan: ${target.skip}`);
    return { 'exit-code': '0', range: '', findings: '0' };
  }
  console.log(`secretscan: scanning ${target.description}`);

  const command = secretscanCommand();
  const baseline = env.INPUT_BASELINE ?? '.secretscan-baseline.json';
  const common = ['git', repo, ...target.args];
  if (baseline && existsSync(resolve(repo, baseline))) common.push('--baseline', resolve(repo, baseline));
  common.push(...splitArgs(env.INPUT_ARGS ?? ''), '--no-progress');

  const outDir = env.RUNNER_TEMP || tmpdir();
  const jsonFile = join(outDir, 'secretscan.json');
  const json = run(command, [...common, '--format', 'json', '--output', jsonFile, '--fail-on', failOn]);
  const outputs = { range: target.range ?? '', 'exit-code': String(json.status), 'json-file': '' };
  if (json.status !== 0 && json.status !== 1) {
    return { ...outputs, 'exit-code': '2', error: `secretscan exited with ${json.status ?? json.signal}: see its message above` };
  }
  outputs['json-file'] = jsonFile;
  outputs.findings = String(countFindings(jsonFile));

  if (env.INPUT_SARIF !== 'false') {
    const sarifFile = join(outDir, 'secretscan.sarif');
    const sarif = run(command, [...common, '--format', 'sarif', '--output', sarifFile, '--fail-on', 'never', '--quiet']);
    if (sarif.status !== 0) return { ...outputs, 'exit-code': '2', error: `the SARIF pass exited with ${sarif.status ?? sarif.signal}: see its message above` };
    outputs['sarif-file'] = sarifFile;
  }
  return outputs;
}

/**
 * Which commits to scan. Pull requests: base..head of the pull request. Pushes: before..after; a new
 * branch: what it adds to the default branch; the default branch's first push: all of its history.
 * Anything else (schedule, workflow_dispatch): the whole history.
 */
function chooseRange(repo) {
  const event = readEvent();
  const name = env.GITHUB_EVENT_NAME ?? '';
  let base = env.INPUT_BASE || undefined;
  let head = env.INPUT_HEAD || undefined;
  if (!base && !head) {
    if (name.startsWith('pull_request')) {
      base = event.pull_request?.base?.sha;
      head = event.pull_request?.head?.sha;
    } else if (name === 'merge_group') {
      base = event.merge_group?.base_sha;
      head = event.merge_group?.head_sha;
    } else if (name === 'push') {
      if (event.deleted) return { skip: 'the push deleted a branch: nothing to scan' };
      base = event.before;
      head = event.after ?? env.GITHUB_SHA;
    }
  }
  head ||= base ? env.GITHUB_SHA || 'HEAD' : undefined;
  if (!head) return { args: [], description: 'the whole history (every commit on every ref)' };

  ensureHistory(repo, [head, ...(base && !ZERO_SHA.test(base) ? [base] : [])]);
  if (base && !ZERO_SHA.test(base) && hasCommit(repo, base)) {
    return { args: ['--range', `${base}..${head}`], range: `${base}..${head}`, description: `commits ${short(base)}..${short(head)}` };
  }
  // A new branch, or a base that a force-push took away: what the branch adds to the default branch.
  const defaultBranch = event.repository?.default_branch;
  const upstream = defaultBranch ? `refs/remotes/origin/${defaultBranch}` : undefined;
  if (upstream && hasCommit(repo, upstream) && git(repo, ['rev-parse', upstream]).stdout.trim() !== git(repo, ['rev-parse', head]).stdout.trim()) {
    return { args: ['--range', `${upstream}..${head}`], range: `origin/${defaultBranch}..${short(head)}`, description: `commits on ${short(head)} not on origin/${defaultBranch}` };
  }
  return { args: ['--branch', head], range: head, description: `every commit reachable from ${short(head)}` };
}

/** A range needs both ends and everything between: unshallow a shallow checkout, fetch missing ends. */
function ensureHistory(repo, commits) {
  if (git(repo, ['rev-parse', '--is-shallow-repository']).stdout.trim() === 'true') {
    console.log('secretscan: shallow checkout: fetching the history the range needs (set fetch-depth: 0 on actions/checkout to skip this)');
    git(repo, ['fetch', '--quiet', '--no-tags', '--unshallow', 'origin']);
  }
  for (const commit of commits) {
    if (!hasCommit(repo, commit)) git(repo, ['fetch', '--quiet', '--no-tags', 'origin', commit]);
  }
  const head = commits[0];
  if (!hasCommit(repo, head)) {
    throw new ActionError(`commit ${head} is not in the checkout at ${repo}: check out the repository with actions/checkout and fetch-depth: 0`);
  }
}

function hasCommit(repo, revision) {
  return git(repo, ['cat-file', '-e', `${revision}^{commit}`]).status === 0;
}

function git(repo, args) {
  return spawnSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...env, GIT_TERMINAL_PROMPT: '0' } });
}

function run(command, args) {
  const [program, ...prefix] = command;
  const result = spawnSync(program, [...prefix, ...args], { stdio: 'inherit', env });
  if (result.error) throw new ActionError(`cannot run ${command.join(' ')}: ${result.error.message}; is secretscan installed?`);
  return result;
}

function secretscanCommand() {
  if (!env.SECRETSCAN_COMMAND) return ['secretscan'];
  try {
    const command = JSON.parse(env.SECRETSCAN_COMMAND);
    if (Array.isArray(command) && command.length > 0 && command.every((part) => typeof part === 'string')) return command;
  } catch {
    // fall through
  }
  throw new ActionError(`SECRETSCAN_COMMAND must be a JSON array of strings, such as ["npx", "secretscan"]`);
}

function readEvent() {
  if (!env.GITHUB_EVENT_PATH || !existsSync(env.GITHUB_EVENT_PATH)) return {};
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
  } catch (error) {
    throw new ActionError(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${error.message}`);
  }
}

function countFindings(jsonFile) {
  try {
    return JSON.parse(readFileSync(jsonFile, 'utf8')).findings.length;
  } catch (error) {
    throw new ActionError(`cannot read the JSON report ${jsonFile}: ${error.message}`);
  }
}

/** Splits `--rules "my rules.yml" --exclude 'a b'` as a shell would (quotes, no expansion). */
function splitArgs(text) {
  const words = text.matchAll(/(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s"']+)+/g);
  return [...words].map(([word]) =>
    word.replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, (_, doubled, single) => (doubled !== undefined ? doubled.replace(/\\(.)/g, '$1') : single)),
  );
}

function setOutputs(outputs) {
  const lines = Object.entries(outputs).map(([name, value]) => `${name}=${oneLine(String(value ?? ''))}\n`);
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, lines.join(''));
  else process.stdout.write(lines.join(''));
}

function short(revision) {
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 12) : revision;
}

function oneLine(text) {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

class ActionError extends Error {}

main();
