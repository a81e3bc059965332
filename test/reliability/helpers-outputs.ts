/**
 * Shared by the reliability tests (secrecy, hands-off, determinism): a tree and a repository full of
 * planted fake secrets, the CLI run as a real process, and a leak check that never prints a secret.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { builtinRulesDir, loadRuleSource } from '../../src/rules/load.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { buildLeakyTree } from '../helpers/leaky-tree.js';

const execFileAsync = promisify(execFile);

/** The issue's bar: not even this much of a secret may show. */
export const PIECE = 12;

export interface PlantedTree {
  root: string;
  /** Every fake value planted (each marker expansion), whether or not a rule reports it. */
  planted: string[];
}

/**
 * The leaky fixture project, plus one file per built-in rule holding that rule's first example (so every
 * provider's token shape is in the tree), plus CI and agent configuration with literal secrets, one of
 * them broken YAML whose parse error sits on the secret's own line (parser messages like to quote it).
 */
export async function buildPlantedTree(root: string, seed = 8_008): Promise<PlantedTree> {
  const planted = (await buildLeakyTree(root, seed)).map((secret) => secret.secret);
  const faker = createFaker(seed);
  const rules = await loadRuleSource(builtinRulesDir(), { builtin: true });
  const files: Record<string, string> = {};
  for (const rule of rules) {
    const example = rule.examples.find((text) => text.includes('<<fake:'));
    if (!example) continue;
    const { text, secrets } = faker.expand(example);
    planted.push(...secrets);
    files[`planted/${rule.provider}/${rule.id}.txt`] = `# ${rule.name}\n${text}\n`;
  }
  const ghp = faker.make('github:ghp');
  const npm = faker.make('npm');
  const anthropic = faker.make('anthropic:api03');
  const dbPassword = faker.make('url-password:20');
  const brokenToken = faker.make('github:ghp');
  planted.push(ghp, npm, anthropic, dbPassword, brokenToken);
  files['.github/workflows/release.yml'] = [
    'on: push',
    'jobs:',
    '  publish:',
    '    runs-on: ubuntu-latest',
    '    env:',
    `      GH_TOKEN: ${ghp}`,
    `      NPM_TOKEN: ${npm}`,
    '    steps:',
    '      - run: npm publish',
    `      - run: psql "postgres://deploy:${dbPassword}@db.internal:5432/app" -c "select 1"`,
    '',
  ].join('\n');
  files['.mcp.json'] = `{ "mcpServers": { "claude": { "command": "npx", "env": { "ANTHROPIC_API_KEY": "${anthropic}" } } } }\n`;
  files['.gitlab-ci.yml'] = ['deploy:', '  script:', `    - export TOKEN=${brokenToken}: [unclosed`, '  - oops: {', ''].join('\n');
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return { root, planted };
}

export interface ProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Cli {
  /** The launcher of this snapshot. */
  bin: string;
  /** The launcher as a real process: what a hook or a CI job sees, progress and worker threads included. */
  run(args: string[], cwd: string, env?: Record<string, string | undefined>): Promise<ProcessRun>;
  /**
   * On a pseudo-terminal (so the spinner runs): stdout and stderr interleaved, as a person sees them.
   * `columns` sizes it; unsized, it reports a width of 0, as a pty nobody sized does.
   */
  terminal(args: string[], cwd: string, options?: { columns?: number; timeoutMs?: number }): Promise<{ screen: string; timedOut: boolean }>;
}

/**
 * A private copy of the built CLI (bin/, dist/, package.json; node_modules linked), so that a rebuild of
 * dist/ while these tests run (another `npm run build` on the same checkout) cannot pull files away from
 * under a run. Copied again until the copy answers, in case a build was half-written when it was taken.
 */
export async function snapshotCli(into: string): Promise<Cli> {
  const packageRoot = join(import.meta.dirname, '..', '..');
  const target = join(into, 'secretscan-build');
  for (let attempt = 0; ; attempt++) {
    await rm(target, { recursive: true, force: true });
    await mkdir(target, { recursive: true });
    try {
      await cp(join(packageRoot, 'dist'), join(target, 'dist'), { recursive: true });
      await cp(join(packageRoot, 'bin'), join(target, 'bin'), { recursive: true });
      await cp(join(packageRoot, 'package.json'), join(target, 'package.json'));
      await symlink(join(packageRoot, 'node_modules'), join(target, 'node_modules'));
      const cli = cliAt(join(target, 'bin', 'secretscan.js'));
      const probe = await cli.run(['rules', '--format', 'json'], target);
      if (probe.code === 0 && JSON.parse(probe.stdout).rules.length > 0) return cli;
    } catch {
      // a build in progress: try again
    }
    if (attempt >= 20) throw new Error('snapshotCli: dist/ never held a working build; run "npm run build"');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function cliAt(bin: string): Cli {
  return {
    bin,
    async run(args, cwd, env = {}) {
      try {
        const { stdout, stderr } = await execFileAsync(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        if (typeof failed.code !== 'number') throw error;
        return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
      }
    },
    async terminal(args, cwd, options = {}) {
      const timeout = options.timeoutMs ?? 20_000;
      const size = options.columns ? `stty cols ${options.columns} rows 40; ` : '';
      // The inner timeout kills the CLI itself: killing only `script` could leave it running.
      const command = `${size}exec timeout -s KILL ${Math.ceil(timeout / 1000)} ${[process.execPath, bin, ...args].map(shellQuote).join(' ')}`;
      const fullEnv: Record<string, string | undefined> = { ...process.env, TERM: 'xterm-256color' };
      // ora stays still in CI (is-in-ci): the point here is a person's terminal.
      delete fullEnv.CI;
      delete fullEnv.CONTINUOUS_INTEGRATION;
      try {
        const { stdout } = await execFileAsync('script', ['-qec', command, '/dev/null'], { cwd, env: fullEnv, maxBuffer: 64 * 1024 * 1024, timeout: timeout + 5_000, killSignal: 'SIGKILL' });
        return { screen: stdout, timedOut: false };
      } catch (error) {
        const failed = error as { stdout?: string; killed?: boolean; code?: string | number };
        // Killed by the inner timeout (137, passed on by script -e), by ours, or for filling maxBuffer.
        const timedOut = failed.killed === true || failed.code === 137 || failed.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER';
        return { screen: failed.stdout ?? '', timedOut };
      }
    },
  };
}

/** Whether `script` (util-linux) can give the CLI a pseudo-terminal, so that the spinner really runs. */
export function hasScript(): boolean {
  try {
    execFileSync('script', ['-qec', 'true', '/dev/null'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The secrets a scan reports, read from a `--show-secrets -f json` report. */
export function reportedSecrets(json: string): string[] {
  return (JSON.parse(json) as { findings: { secret: string }[] }).findings.map((finding) => finding.secret);
}

/**
 * Where `text` holds a secret or a PIECE-character piece of one, described without the secret: which
 * secret (its index and length), at which offset of the secret the first piece found starts. Secrets
 * shorter than PIECE are looked for whole. `publicText` is text anyone has (rule names, remediation,
 * URLs): a piece of it is not a leak (a Slack webhook secret starts with "https://hooks.slack.com/").
 *
 * One pass over `text` against a table of every piece: outputs run to megabytes and secrets to hundreds.
 */
export function leaks(text: string, secrets: readonly string[], where: string, publicText = ''): string[] {
  const pieces = new Map<string, { index: number; offset: number }[]>();
  const short: number[] = [];
  secrets.forEach((secret, index) => {
    if (secret.length < PIECE) short.push(index);
    for (let offset = 0; offset + PIECE <= secret.length; offset++) {
      const piece = secret.slice(offset, offset + PIECE);
      const owners = pieces.get(piece);
      if (owners) owners.push({ index, offset });
      else pieces.set(piece, [{ index, offset }]);
    }
  });
  for (let i = 0; i + PIECE <= publicText.length; i++) pieces.delete(publicText.slice(i, i + PIECE));
  const first = new Map<number, number>();
  for (let i = 0; i + PIECE <= text.length; i++) {
    for (const hit of pieces.get(text.slice(i, i + PIECE)) ?? []) {
      if ((first.get(hit.index) ?? Infinity) > hit.offset) first.set(hit.index, hit.offset);
    }
  }
  for (const index of short) if (text.includes(secrets[index]!) && !publicText.includes(secrets[index]!)) first.set(index, 0);
  return [...first.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, offset]) => `${where}: secret #${index} (${secrets[index]!.length} chars) shows from its character ${offset}`);
}

/** Secrets long enough to be checked by pieces: shorter ones (digits of an id, a short user name) are not secret alone. */
export function checkable(secrets: Iterable<string>): string[] {
  return [...new Set(secrets)].filter((secret) => secret.length >= PIECE);
}

/** A repository built at test time: commit dates and identities are fixed, so runs are comparable. */
export function gitIn(cwd: string) {
  return (args: string[], date = '2024-03-01T10:00:00Z') =>
    execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Ada Park',
        GIT_AUTHOR_EMAIL: 'ada@example.org',
        GIT_COMMITTER_NAME: 'Ada Park',
        GIT_COMMITTER_EMAIL: 'ada@example.org',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
        GIT_CONFIG_NOSYSTEM: '1',
      },
    });
}

export interface PlantedRepo extends PlantedTree {
  /** Planted only in history (deleted files, another branch): never in the working tree. */
  historyOnly: string[];
  /** Staged for the next commit, not committed. */
  staged: string[];
}

/**
 * A repository whose history holds the planted tree, a file added then deleted, a secret only on a
 * feature branch and one in a tag's commit, and a staged but uncommitted secret.
 */
export async function buildPlantedRepo(root: string, seed = 8_008): Promise<PlantedRepo> {
  const tree = await buildPlantedTree(root, seed);
  const faker = createFaker(seed + 1);
  const git = gitIn(root);
  git(['init', '-q']);
  git(['add', '-A']);
  git(['commit', '-qm', 'project with leaks'], '2024-03-01T10:00:00Z');

  const deleted = faker.make('github:ghp');
  await writeFile(join(root, 'deleted.env'), `GITHUB_TOKEN=${deleted}\n`);
  git(['add', 'deleted.env']);
  git(['commit', '-qm', 'add env'], '2024-03-02T10:00:00Z');
  git(['rm', '-q', 'deleted.env']);
  git(['commit', '-qm', 'remove env'], '2024-03-03T10:00:00Z');

  const onBranch = faker.make('npm');
  git(['checkout', '-qb', 'feature']);
  await writeFile(join(root, 'feature.npmrc'), `//registry.npmjs.org/:_authToken=${onBranch}\n`);
  git(['add', 'feature.npmrc']);
  git(['commit', '-qm', 'feature token'], '2024-03-04T10:00:00Z');
  git(['checkout', '-q', 'main']);

  const staged = faker.make('github:ghp');
  await writeFile(join(root, 'staged.ts'), `export const token = "${staged}";\n`);
  git(['add', 'staged.ts']);
  return { ...tree, planted: [...tree.planted, deleted, onBranch, staged], historyOnly: [deleted, onBranch], staged: [staged] };
}
