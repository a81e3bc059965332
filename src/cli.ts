/**
 * The command line (DESIGN §2). run(argv, io) parses, scans, reports and returns the exit code; it never
 * calls process.exit, so tests run it in-process with fake streams. bin/secretscan.js is the launcher.
 *
 * Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, config or runtime
 * error, with one line on stderr that names the file or option and what to do next.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from './config/load.js';
import { formatBytes, renderText } from './report/text.js';
import { renderJson } from './report/json.js';
import { renderGitlab } from './report/gitlab.js';
import { collectLineHashes, type SourceReader } from './report/line-hash.js';
import { renderSarif } from './report/sarif.js';
import { init } from './commands/init.js';
import { BaselineError, emptyBaseline, locateBaseline, readBaseline, subjectOf, updateBaseline, writeBaseline } from './suppress/baseline.js';
import { toReport, type Report } from './report/redact.js';
import { RuleLoadError } from './rules/load.js';
import { AllowlistError } from './suppress/allowlist.js';
import { prepareScan, scan, type ScanOptions } from './scan.js';
import { GitError, gitOutput } from './sources/git.js';
import { ScanInterrupted, interruptSources } from './sources/interrupt.js';
import { expandTargets, TargetPatternError } from './sources/targets.js';
import { terminateAllPools } from './detect/pool.js';
import { preferQuickRegexCompile } from './detect/regex.js';
import { firstLine } from './util/quote.js';
import { SEVERITIES, type RuleSpec, type ScanKind, type ScanResult, type Severity } from './types.js';
import { ruleSeverity } from './score/score.js';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: AsyncIterable<Uint8Array | string>;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Where SIGINT and SIGTERM come from (default: this process); tests pass an emitter. */
  signals?: SignalSource;
}

export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

interface CommonOptions {
  format: 'text' | 'json' | 'sarif' | 'gitlab';
  baseline?: string;
  updateBaseline?: boolean;
  output?: string;
  config?: string;
  failOn?: Severity | 'never';
  minSeverity?: Severity;
  showSecrets?: boolean;
  progress: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color: boolean;
  rules: string[];
  exclude: string[];
  maxFileSize?: number;
  jobs?: number;
}

interface GitCommandOptions {
  staged?: boolean;
  range?: string;
  branch?: string;
  since?: string;
  maxCommits?: number;
}

export const TOOL = { name: 'secretscan', version: readVersion() };

/** An error the user can act on: printed as one line, exit code 2. */
class UsageError extends Error {}

export async function run(argv: string[], ioOverrides: Partial<CliIO> = {}): Promise<number> {
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    ...ioOverrides,
  };
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  const interrupt = trapInterrupts(io, argv);
  try {
    // An interrupted command returns at once; what it was doing is stopped behind it (trapInterrupts).
    return await Promise.race([program.parseAsync(argv, { from: 'user' }).then(() => exitCode), interrupt.interrupted]);
  } catch (error) {
    if (error instanceof ScanInterrupted || interrupt.signal !== undefined) return interrupt.stopped(error instanceof ScanInterrupted ? error.signal : undefined);
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      const message = firstLine(error.message.replace(/^error: /, ''));
      io.stderr.write(`secretscan: ${message}; run "secretscan --help" for usage\n`);
      return 2;
    }
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof RuleLoadError || error instanceof AllowlistError || error instanceof GitError || error instanceof BaselineError || error instanceof TargetPatternError) {
      io.stderr.write(`secretscan: ${error.message}\n`);
      return 2;
    }
    const detail = io.env.SECRETSCAN_DEBUG ? `\n${(error as Error).stack}` : '';
    io.stderr.write(`secretscan: internal error: ${(error as Error).message ?? error}; please report it (SECRETSCAN_DEBUG=1 shows the stack)${detail}\n`);
    return 2;
  } finally {
    interrupt.dispose();
  }
}

// ─── Interruption (SIGINT, SIGTERM) ──────────────────────────────────────────────────────────────

/** Commands that scan: the only ones whose interruption leaves partial results to speak of. */
const SCANNING_COMMANDS = new Set(['scan', 'ci', 'stdin', 'git', 'baseline']);
/** After an interruption, the longest the real process may take to wind down before it exits anyway. */
const FORCE_EXIT_MS = 1000;

interface ScanProgress {
  files: number;
  bytes: number;
  commits?: number;
}

const interrupts = new WeakMap<CliIO, { progress?: ScanProgress; signal?: string }>();

/**
 * Ctrl-C in a terminal, a CI job's timeout (SIGTERM): the scan stops at its next file or chunk, Git
 * children and detection workers are ended, one line on stderr says how far it got, and the exit code
 * is 2. No report is written, not even to --output, and a baseline is left as it was: half a scan
 * would read as "these are all the secrets". secretscan writes no temporary files, so none are left.
 *
 * run() resolves at once; for the real process a timer (unref'd: it never holds the process up) exits
 * anyway if something still runs after FORCE_EXIT_MS, and a second signal exits at once.
 */
function trapInterrupts(io: CliIO, argv: string[]) {
  const source: SignalSource = io.signals ?? process;
  const real = io.signals === undefined;
  const state: { progress?: ScanProgress; signal?: string } = {};
  let noticed = false;
  let resolveInterrupted: (code: number) => void = () => undefined;
  const interrupted = new Promise<number>((resolve) => (resolveInterrupted = resolve));
  const notice = (signal: string) => {
    if (noticed) return;
    noticed = true;
    const progress = state.progress;
    const sofar = !progress
      ? ''
      : progress.commits !== undefined
        ? ` after ${progress.commits} commits (${formatBytes(progress.bytes)} of added lines)`
        : ` after ${progress.files} files (${formatBytes(progress.bytes)})`;
    io.stderr.write(`secretscan: interrupted by ${signal}${sofar}: the scan is incomplete, so no report was written (exit code 2)\n`);
  };
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const listener = () => {
      if (state.signal !== undefined) {
        if (real) process.exit(2);
        return;
      }
      state.signal = signal;
      notice(signal);
      interruptSources(signal);
      void terminateAllPools();
      resolveInterrupted(2);
      if (real) setTimeout(() => process.exit(2), FORCE_EXIT_MS).unref();
    };
    return { signal, listener };
  });
  const command = argv.find((arg) => !arg.startsWith('-'));
  const armed = command !== undefined && SCANNING_COMMANDS.has(command);
  if (armed) for (const { signal, listener } of listeners) source.on(signal, listener);
  interrupts.set(io, state);
  return {
    interrupted,
    get signal() {
      return state.signal;
    },
    /** The command stopped because of an interruption (ours, or git killed by the terminal's Ctrl-C). */
    stopped(signal = 'a signal') {
      notice(state.signal ?? signal);
      return 2;
    },
    dispose() {
      if (armed) for (const { signal, listener } of listeners) source.off(signal, listener);
    },
  };
}

/** onProgress for scan(): remembers how far the scan got, for the interruption notice. */
function trackProgress(io: CliIO, update?: (progress: ScanProgress & { path: string }) => void) {
  const state = interrupts.get(io);
  return (progress: ScanProgress & { path: string }) => {
    if (state) state.progress = progress;
    update?.(progress);
  };
}

/** Nothing is written once the scan was interrupted: the results would be partial. */
function throwIfInterrupted(io: CliIO): void {
  const signal = interrupts.get(io)?.signal;
  if (signal !== undefined) throw new ScanInterrupted(signal);
}

function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const program = new Command('secretscan')
    .description('Find leaked credentials (API keys, tokens, private keys) and rank how bad each one is.')
    .version(TOOL.version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // Commander's own error text is replaced by our one-line message in run().
      writeErr: (text) => {
        if (!text.startsWith('error:')) io.stderr.write(text);
      },
    })
    .showSuggestionAfterError(true);

  withCommonOptions(
    program
      .command('scan')
      .description('scan files and folders (default "."), honouring .gitignore and excludes')
      .argument('[paths...]', 'files and folders to scan', []),
  ).action(async (paths: string[], options: CommonOptions) => {
    setExitCode(await runScan(io, { kind: 'worktree', cwd: io.cwd, targets: paths }, options));
  });

  withCommonOptions(
    program
      .command('ci')
      .description('only CI and agent configuration files (GitHub Actions, GitLab CI, ..., MCP): secrets and CI checks')
      .argument('[paths...]', 'files and folders to look in', []),
  ).action(async (paths: string[], options: CommonOptions) => {
    setExitCode(await runScan(io, { kind: 'ci', cwd: io.cwd, targets: paths }, options));
  });

  withCommonOptions(
    program
      .command('stdin')
      .description('scan standard input')
      .option('--path <name>', 'path to report the input under (rules and allowlists see it)', 'stdin'),
  ).action(async (options: CommonOptions & { path: string }) => {
    const bytes = await readAll(io.stdin);
    setExitCode(await runScan(io, { kind: 'stdin', cwd: io.cwd, input: { bytes, path: options.path } }, options));
  });

  withCommonOptions(
    program
      .command('git')
      .description('scan Git history: every line any commit on any ref added (or a range, or the staged changes)')
      .argument('[repo]', 'a path inside the repository', '.')
      .addOption(new Option('--staged', 'only what is staged for the next commit (the pre-commit hook)').conflicts(['range', 'branch', 'since', 'maxCommits']))
      .addOption(new Option('--range <A..B>', 'only commits in the range (CI: the pushed or pull-request commits)').conflicts('branch'))
      .option('--branch <ref>', 'only commits reachable from this branch, tag or commit')
      .option('--since <date>', 'only commits newer than this (2024-01-31, "2 weeks ago")')
      .option('--max-commits <n>', 'at most this many commits, newest first', parseCount),
  ).action(async (repo: string, options: CommonOptions & GitCommandOptions) => {
    const git = { repo, range: options.range, branch: options.branch, since: options.since, maxCommits: options.maxCommits };
    // The hook's input is a few staged files: compiling patterns quickly beats running them quickly.
    if (options.staged) preferQuickRegexCompile();
    setExitCode(await runScan(io, { kind: options.staged ? 'staged' : 'git', cwd: io.cwd, git }, options));
  });

  program
    .command('hook')
    .description('pre-commit hook management')
    .command('install')
    .description('write a plain .git/hooks/pre-commit that runs "secretscan git --staged"')
    .argument('[repo]', 'a path inside the repository', '.')
    .option('--force', 'replace an existing pre-commit hook')
    .action(async (repo: string, options: { force?: boolean }) => {
      const { installHook } = await import('./sources/git-hook.js');
      const { hookPath, replaced } = await installHook(resolve(io.cwd, repo), { force: options.force === true });
      io.stdout.write(
        `secretscan: ${replaced ? 'replaced' : 'wrote'} ${hookPath}: each commit now runs "secretscan git --staged" and is refused if it adds a secret ("git commit --no-verify" skips it once)\n`,
      );
    });

  withCommonOptions(
    program
      .command('baseline')
      .description('write the current findings to the baseline file (ids, never secrets): add new ones, prune ones no longer found')
      .argument('[paths...]', 'files and folders to scan', []),
  ).action(async (paths: string[], options: CommonOptions) => {
    setExitCode(await runScan(io, { kind: 'worktree', cwd: io.cwd, targets: paths }, { ...options, updateBaseline: true }, { baselineOnly: true }));
  });

  program
    .command('init')
    .description('write a commented .secretscanrc, and with --github, --gitlab or --pre-commit the CI or hook file')
    .option('--github', 'also .github/workflows/secretscan.yml')
    .option('--gitlab', 'also .gitlab/ci/secretscan.yml, included from .gitlab-ci.yml')
    .option('--pre-commit', 'also .pre-commit-config.yaml')
    .option('--force', 'replace files that exist')
    .action(async (options: { github?: boolean; gitlab?: boolean; preCommit?: boolean; force?: boolean }) => {
      const result = await init({ dir: io.cwd, ...options, version: TOOL.version });
      for (const path of result.written) io.stdout.write(`secretscan: wrote ${path}\n`);
      for (const path of result.kept) io.stderr.write(`secretscan: kept ${path}, which exists (--force replaces it)\n`);
      for (const note of result.notes) io.stderr.write(`secretscan: ${note}\n`);
    });

  program
    .command('rules')
    .description('list the rules in force (built-in, config and --rules)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-c, --config <file>', 'configuration file, instead of searching for one')
    .option('--rules <path>', 'extra rule file or folder (repeatable)', collect, [])
    .option('--no-color', 'no colours')
    .action(async (options: { format: 'text' | 'json'; config?: string; rules: string[]; color: boolean }) => {
      const setup = await prepareScan({ cwd: io.cwd, configPath: options.config, rulePaths: options.rules });
      io.stdout.write(options.format === 'json' ? renderRulesJson(setup.rules) : renderRulesText(setup.rules, chalkFor(io, io.stdout, options.color)));
    });

  return program;
}

function withCommonOptions(command: Command): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json', 'sarif', 'gitlab']).default('text'))
    .option('--baseline <file>', 'drop findings accepted in this baseline (default .secretscan-baseline.json if present)')
    .option('--update-baseline', 'add new findings to the baseline, prune entries no longer found (keeps reasons)')
    .option('-o, --output <file>', 'write the report to a file (the exit code is unchanged)')
    .option('-c, --config <file>', 'configuration file, instead of searching for one')
    .addOption(new Option('--fail-on <severity>', 'exit 1 if a finding is at or above this severity (default low)').choices([...SEVERITIES, 'never']))
    .addOption(new Option('--min-severity <severity>', 'leave findings below this severity out of the report (they are counted)').choices([...SEVERITIES]))
    .option('--show-secrets', 'print whole secrets (redacted by default)')
    .option('--no-progress', 'no progress spinner')
    .option('-q, --quiet', 'no progress, and no summary line when nothing is found')
    .option('-v, --verbose', 'score reasons and details for each finding, and every error')
    .option('--no-color', 'no colours (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('--rules <path>', 'extra rule file or folder, added to the built-ins (repeatable)', collect, [])
    .option('--exclude <glob>', 'gitignore-style glob of paths not to scan (repeatable)', collect, [])
    .option('--max-file-size <bytes>', 'skip files larger than this (default 10MiB; k, M, G suffixes)', parseSize)
    .option('--jobs <n>', 'threads that detect, main thread included (default: a second one for a folder or a large scan)', parseJobs);
}

async function runScan(io: CliIO, scanOptions: ScanOptions, options: CommonOptions, mode: { baselineOnly?: boolean } = {}): Promise<number> {
  const git = scanOptions.git;
  if (options.updateBaseline && (scanOptions.kind === 'staged' || git?.range || git?.branch || git?.since || git?.maxCommits)) {
    throw new UsageError('--update-baseline: would prune the entries of every finding outside this part of the history; update the baseline from a scan of the whole repository');
  }
  const fullOptions: ScanOptions = {
    ...scanOptions,
    ...(scanOptions.targets ? { targets: await expandTargets(io.cwd, scanOptions.targets) } : {}),
    configPath: options.config,
    rulePaths: options.rules,
    exclude: options.exclude,
    maxFileSize: options.maxFileSize,
    jobs: options.jobs,
  };
  // Not awaited here: scan() starts its source first (git, on the hook path) and waits for it then.
  const preparing = prepareScan(fullOptions);
  preparing.catch(() => undefined); // awaited below; this only stops an early rejection counting as unhandled
  // The baseline's default location depends on the config: found once it is loaded, read while the scan runs.
  const baselineFile = preparing.then((setup) =>
    locateBaseline({ option: options.baseline, cwd: io.cwd, configured: setup.config.file.baseline, configDir: setup.config.baseDir }),
  );
  const previousBaseline = baselineFile.then(async ({ path, explicit }) => {
    const baseline = await readBaseline(path, relative(io.cwd, path) || path);
    if (!baseline && explicit && !options.updateBaseline) {
      throw new UsageError(`--baseline ${relative(io.cwd, path) || path}: file not found; write one with "secretscan baseline"`);
    }
    return baseline;
  });
  previousBaseline.catch(() => undefined);
  const progress = await startProgress(io, options);
  let result: ScanResult;
  try {
    result = await scan({ ...fullOptions, baseline: previousBaseline, onProgress: trackProgress(io, progress?.update) }, preparing);
  } finally {
    progress?.stop();
  }
  throwIfInterrupted(io);
  const setup = await preparing;
  if (!options.quiet) for (const notice of result.notices) io.stderr.write(`secretscan: ${notice}\n`);

  if (!options.quiet) for (const notice of result.baseline?.expired ?? []) io.stderr.write(`secretscan: ${notice}\n`);

  if (options.updateBaseline) {
    const { path } = await baselineFile;
    const known = [...result.findings.map(subjectOf), ...(result.baseline?.known ?? [])];
    const update = updateBaseline((await previousBaseline) ?? emptyBaseline(), known);
    const name = relative(io.cwd, path) || path;
    throwIfInterrupted(io);
    await writeBaseline(path, update.baseline, name);
    io.stderr.write(`secretscan: ${name}: ${update.baseline.size} entries (${update.added.length} added, ${update.pruned.length} pruned); commit it, and give accepted entries a "reason" and an "expires" date\n`);
    if (mode.baselineOnly) return 0;
  }

  const fullReport = toReport(result, options.showSecrets === true);
  const report = withMinSeverity(fullReport, options.minSeverity);
  const toFile = options.output !== undefined;
  let rendered: string;
  if (options.format === 'json') {
    rendered = renderJson(report, TOOL);
  } else if (options.format === 'sarif') {
    const occurrences = report.findings.flatMap((finding) => finding.occurrences);
    const lineHashes = await collectLineHashes(occurrences, sourceReader(result.stats.root, result.stats.kind, scanOptions.input));
    const sarif = renderSarif(report, { tool: TOOL, lineHashes });
    for (const notice of sarif.notices) io.stderr.write(`secretscan: ${notice}\n`);
    rendered = sarif.text;
  } else if (options.format === 'gitlab') {
    rendered = renderGitlab(report, { tool: TOOL, commitSha: io.env.CI_COMMIT_SHA });
  } else {
    rendered = renderText(report, { chalk: toFile ? new Chalk({ level: 0 }) : chalkFor(io, io.stdout, options.color), verbose: options.verbose === true });
  }

  throwIfInterrupted(io);
  if (toFile) {
    const path = resolve(io.cwd, options.output!);
    try {
      await writeFile(path, rendered);
    } catch (error) {
      throw new UsageError(`--output ${options.output}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? error}); check the folder exists and is writable`);
    }
    if (!options.quiet) io.stderr.write(`secretscan: ${summaryForStderr(report)}; report written to ${options.output}\n`);
  } else if (!(options.quiet && report.findings.length === 0 && options.format === 'text')) {
    io.stdout.write(rendered);
  }

  // Findings hidden by --min-severity still decide the exit code: hiding is about reading, not failing.
  const failOn = options.failOn ?? setup.config.file.failOn ?? 'low';
  return failsAt(fullReport, failOn) ? 1 : 0;
}

/** The report without findings below --min-severity, and how many were left out. */
function withMinSeverity(report: Report, minSeverity: Severity | undefined): Report {
  if (!minSeverity) return report;
  const threshold = SEVERITIES.indexOf(minSeverity);
  const findings = report.findings.filter((finding) => SEVERITIES.indexOf(finding.severity) <= threshold);
  return { ...report, findings, hidden: { minSeverity, findings: report.findings.length - findings.length } };
}

/**
 * The text of each file version a SARIF result points at, for GitHub's line hash: the scanned file, the
 * blob at the occurrence's commit, the staged blob, or the standard input.
 */
function sourceReader(root: string, kind: ScanKind, input?: { bytes: Uint8Array; path: string }): SourceReader {
  const blob = async (spec: string) => {
    const result = await gitOutput(root, ['cat-file', 'blob', spec], { allowFailure: true });
    return result.code === 0 ? result.stdout.toString('utf8') : undefined;
  };
  return async ({ path, commit }) => {
    if (kind === 'stdin') return input && path === input.path ? Buffer.from(input.bytes).toString('utf8') : undefined;
    if (commit) return blob(`${commit}:${path}`);
    if (kind === 'staged') return blob(`:${path}`);
    return readFile(join(root, path), 'utf8').catch(() => undefined);
  };
}

function failsAt(report: Report, failOn: Severity | 'never'): boolean {
  if (failOn === 'never') return false;
  const threshold = SEVERITIES.indexOf(failOn);
  return report.findings.some((finding) => SEVERITIES.indexOf(finding.severity) <= threshold);
}

function summaryForStderr(report: Report): string {
  const locations = report.findings.reduce((sum, finding) => sum + finding.occurrences.length, 0);
  const scanned =
    report.stats.kind === 'git'
      ? `${report.stats.commitsScanned} commits (${formatBytes(report.stats.bytesScanned)} of added lines)`
      : `${report.stats.filesScanned} files (${formatBytes(report.stats.bytesScanned)})`;
  return report.findings.length === 0
    ? `no secrets found in ${scanned}`
    : `${report.findings.length} secrets in ${locations} locations`;
}

async function startProgress(io: CliIO, options: CommonOptions) {
  if (!options.progress || options.quiet || !io.stderr.isTTY || io.stderr !== process.stderr) return undefined;
  // A terminal that reports no width (a pty nobody sized: `script`, some CI runners) makes ora divide by
  // zero and clear lines forever, and the scan never ends.
  if (!process.stderr.columns) return undefined;
  const { default: ora } = await import('ora');
  const spinner = ora({ text: 'scanning…', stream: process.stderr }).start();
  let lastUpdate = 0;
  return {
    update: (state: { files: number; bytes: number; path: string; commits?: number }) => {
      const now = Date.now();
      if (now - lastUpdate < 100) return;
      lastUpdate = now;
      spinner.text =
        state.commits !== undefined ? `scanning history… ${state.commits} commits, ${formatBytes(state.bytes)} of added lines` : `scanning… ${state.files} files, ${formatBytes(state.bytes)}`;
    },
    stop: () => spinner.stop(),
  };
}

/**
 * Colour decisions in one place: --no-color and NO_COLOR turn it off, FORCE_COLOR turns it on (0-3),
 * otherwise colour only when the stream is a terminal.
 */
function chalkFor(io: CliIO, stream: OutputStream, colorOption: boolean): ChalkInstance {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  if (!colorOption || noColor) return new Chalk({ level: 0 });
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return new Chalk({ level: 0 });
    const level = Number.parseInt(force, 10);
    return new Chalk({ level: level >= 1 && level <= 3 ? (level as 1 | 2 | 3) : 1 });
  }
  return new Chalk({ level: stream.isTTY ? 2 : 0 });
}

function renderRulesJson(rules: RuleSpec[]): string {
  const list = rules.map((rule) => ({
    id: rule.id,
    name: rule.name,
    provider: rule.provider,
    credentialType: rule.credentialType,
    privilege: rule.privilege,
    lifetime: rule.lifetime,
    severity: severityOfRule(rule),
    keywords: rule.keywords,
    // A path rule has no pattern (nor a secret group in one): what it matches is the file's path.
    ...(rule.path !== undefined ? { path: rule.path } : { pattern: rule.pattern, secretGroup: rule.secretGroup }),
    ...(rule.entropy !== undefined ? { entropy: rule.entropy } : {}),
    validators: rule.validators,
    multiline: rule.multiline,
    remediation: rule.remediation,
    references: rule.references,
    source: rule.builtin ? 'builtin' : rule.origin,
  }));
  return `${JSON.stringify({ schemaVersion: 1, tool: TOOL, rules: list }, null, 2)}\n`;
}

function renderRulesText(rules: RuleSpec[], chalk: ChalkInstance): string {
  const idWidth = Math.max(...rules.map((rule) => rule.id.length), 2);
  const providerWidth = Math.max(...rules.map((rule) => rule.provider.length), 8);
  const lines = [chalk.bold(`${'ID'.padEnd(idWidth)}  ${'PROVIDER'.padEnd(providerWidth)}  ${'SEVERITY'.padEnd(8)}  DESCRIPTION`)];
  for (const rule of rules) {
    const path = rule.path !== undefined ? chalk.gray(` (path: ${rule.path})`) : '';
    lines.push(`${rule.id.padEnd(idWidth)}  ${rule.provider.padEnd(providerWidth)}  ${severityOfRule(rule).padEnd(8)}  ${rule.name}${path}${rule.builtin ? '' : chalk.gray(` (${rule.origin})`)}`);
  }
  lines.push('', `${rules.length} rules`);
  return `${lines.join('\n')}\n`;
}

/** CI checks carry the severity their findings get in a CI file; pattern rules start from scoring. */
function severityOfRule(rule: RuleSpec): Severity {
  return (rule as RuleSpec & { severity?: Severity }).severity ?? ruleSeverity(rule);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError('give a number of bytes, optionally with a k, M or G suffix (e.g. 10M)');
  const unit = (match[2] ?? 'b').toLowerCase()[0]!;
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.floor(Number(match[1]) * factor);
  if (bytes < 1) throw new InvalidArgumentError('must be at least 1 byte');
  return bytes;
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError('give a whole number of at least 1');
  return count;
}

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new InvalidArgumentError('give a whole number from 1 to 64');
  return jobs;
}

async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(typeof part === 'string' ? Buffer.from(part) : Buffer.from(part));
  return Buffer.concat(parts);
}

function readVersion(): string {
  try {
    // src/cli.ts and dist/cli.js both sit one level below the package root.
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
