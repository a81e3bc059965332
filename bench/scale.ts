/**
 * `npm run bench:scale`: does secretscan hold up at ten times the bench's size? (issue #8, scale)
 *
 * 1. Worktree: writes the default bench tree (200 MiB, 20,000 files) and a tree ten times as large
 *    (2 GiB, at least 200,000 files, 3,000 planted secrets) with the same generator (bench/tree.ts),
 *    then runs `secretscan scan` on each, small and large runs interleaved so a busy host slows both
 *    alike. Reports files, MiB, MiB/s and the child's peak RSS, and the large/small throughput ratio.
 * 2. History: builds the bench:history repository (5,500 commits) and one of 50,000 commits with the
 *    same fast-import generator (bench/history.ts), runs `secretscan git` (and `git log -p -U0 --all`
 *    as the floor) on each, and checks the planted secrets are found.
 *
 * Targets: peak RSS < 300 MiB everywhere, throughput at most 20 % below the small case.
 *
 *   npx tsx bench/scale.ts [--scale F] [--runs N] [--small-runs N] [--history-runs N] [--only tree|history] [--keep] [--json]
 *   BENCH_SCALE=0.05 npm run bench:scale      # a reduced run (every size times 0.05), to try the script
 *   BENCH_KEEP=1 npm run bench:scale          # keep the temp folder
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateRepository, patchBytes, recall as historyRecall, type Report as HistoryReport } from './history.js';
import { flushWrites, median, positiveNumber, type RssMeter, rssMeter } from './measure.js';
import { generateTree, type PlantedSecret } from './tree.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MIB = 1024 * 1024;
const TARGETS = { peakRssMiB: 300, maxDrop: 0.2 };
/** Full-scale sizes; --scale multiplies all of them. The small case is the default bench and bench:history. */
const FULL = {
  small: { mib: 200, files: 0, secrets: 300 },
  large: { mib: 2048, files: 200_000, secrets: 3000 },
  smallCommits: 5500,
  largeCommits: 50_000,
};

const HELP = `usage: npx tsx bench/scale.ts [options]   (after npm run build; or npm run bench:scale -- [options])
  --scale F          multiply every size by F (default 1, or BENCH_SCALE): 0.05 for a quick try
  --runs N           timed scans of the large tree (default 3)
  --small-runs N     timed scans of the small tree (default 3), interleaved with the large ones
  --history-runs N   timed history scans of each repository (default 1)
  --only PART        tree or history (default both)
  --seed N           PRNG seed (default 1)
  --keep             keep the temp folder (or BENCH_KEEP=1)
  --json             print the results as JSON`;

interface Run {
  seconds: number;
  /** Of the process and the children it waited for (git log -p maps whole packs: its RSS counts here). */
  peakRssMiB: number;
  /** Of the Node process alone, worker threads included, children not (for runNode). */
  ownPeakRssMiB?: number;
  code: number;
  stderr: string;
}

interface TreeReport {
  scan: { filesScanned: number; bytesScanned: number; durationMs: number };
  findings: { ruleId: string; secretHash: string; occurrences: { path: string; line: number; endLine?: number }[] }[];
  errors: unknown[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: process.env.BENCH_SCALE || '1' },
      runs: { type: 'string', default: '3' },
      'small-runs': { type: 'string', default: '3' },
      'history-runs': { type: 'string', default: '1' },
      only: { type: 'string' },
      seed: { type: 'string', default: '1' },
      keep: { type: 'boolean', default: process.env.BENCH_KEEP === '1' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const scale = positiveNumber('--scale', values.scale);
  const runs = Math.round(positiveNumber('--runs', values.runs));
  const smallRuns = Math.round(positiveNumber('--small-runs', values['small-runs']));
  const historyRuns = Math.round(positiveNumber('--history-runs', values['history-runs']));
  const seed = Math.round(Number(values.seed));
  if (values.only && values.only !== 'tree' && values.only !== 'history') throw new Error(`--only ${values.only}: give tree or history`);
  const doTree = values.only !== 'history';
  const doHistory = values.only !== 'tree';
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js not found; run `npm run build` first (npm run bench:scale does)');

  const log = (line: string) => process.stderr.write(`${line}\n`);
  const sizes = {
    small: { mib: FULL.small.mib * scale, files: Math.round(FULL.small.files * scale), secrets: Math.max(10, Math.round(FULL.small.secrets * scale)) },
    large: { mib: FULL.large.mib * scale, files: Math.round(FULL.large.files * scale), secrets: Math.max(10, Math.round(FULL.large.secrets * scale)) },
    smallCommits: Math.max(200, Math.round(FULL.smallCommits * scale)),
    largeCommits: Math.max(500, Math.round(FULL.largeCommits * scale)),
  };

  const work = await mkdtemp(join(tmpdir(), 'secretscan-bench-scale-'));
  // Written trees take ~1.25x their MiB on disk (4 KiB blocks); the 50,000-commit repository ~750 MiB.
  const needMiB = (doTree ? 1.3 * (sizes.small.mib + sizes.large.mib) : 0) + (doHistory ? 900 * scale + 150 : 0);
  const disk = statfsSync(work);
  const freeMiB = (disk.bavail * disk.bsize) / MIB;
  if (freeMiB < needMiB * 1.2) {
    await rm(work, { recursive: true, force: true });
    throw new Error(`${tmpdir()} has ${freeMiB.toFixed(0)} MiB free; this run needs about ${needMiB.toFixed(0)} MiB`);
  }
  const cleanup = () => rm(work, { recursive: true, force: true });
  const onSignal = () => {
    void cleanup().finally(() => process.exit(130));
  };
  if (!values.keep) process.once('SIGINT', onSignal);
  try {
    // The built CLI is copied first (it is one bundle): a rebuild in the shared work tree meanwhile
    // cannot swap chunks under a run that lasts minutes.
    for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(work, 'app', part), { recursive: true });
    const cli = join(work, 'app', 'bin', 'secretscan.js');
    const meter = rssMeter(work);
    const result: ScaleResult = {
      machine: {
        vcpus: availableParallelism(),
        node: process.version,
        git: spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim(),
        loadAtStart: loadavg()[0]!,
        rss: meter.method,
      },
      scale,
      diskFreeMiB: freeMiB,
    };
    if (doTree) result.tree = await treeBench({ work, cli, meter, sizes, seed, runs, smallRuns, log });
    if (doHistory) result.history = await historyBench({ work, cli, meter, sizes, seed, runs: historyRuns, log });
    result.machine.loadAtEnd = loadavg()[0]!;
    console.log(values.json ? JSON.stringify(result, null, 2) : renderText(result));
    if (values.keep) log(`kept ${work}`);
    return 0;
  } finally {
    if (!values.keep) {
      process.off('SIGINT', onSignal);
      await cleanup();
    }
  }
}

// ─── Worktree ────────────────────────────────────────────────────────────────────────────────────

interface TreeCase {
  files: number;
  mib: number;
  planted: number;
  generateSeconds: number;
  runs: number;
  seconds: number[];
  medianSeconds: number;
  filesScanned: number;
  scannedMiB: number;
  /** Scanned MiB over the median wall time, start-up included (as bench/scan.ts). */
  mibPerSecond: number;
  /** Scanned MiB over the scanner's own durationMs (its median), without Node's start-up. */
  internalMibPerSecond: number;
  peakRssMiB: number;
  peakRssPerRunMiB: number[];
  findings: number;
  found: number;
  errors: number;
}

async function treeBench(input: {
  work: string;
  cli: string;
  meter: RssMeter;
  sizes: { small: { mib: number; files: number; secrets: number }; large: { mib: number; files: number; secrets: number } };
  seed: number;
  runs: number;
  smallRuns: number;
  log: (line: string) => void;
}) {
  const { work, cli, meter, sizes, seed, log } = input;
  const made: Record<'small' | 'large', { dir: string; summary: Awaited<ReturnType<typeof generateTree>>; seconds: number }> = {} as never;
  for (const which of ['small', 'large'] as const) {
    const size = sizes[which];
    const dir = join(work, `tree-${which}`);
    log(`generating the ${which} tree: ${size.mib.toFixed(0)} MiB${size.files ? `, at least ${size.files.toLocaleString('en-US')} files` : ''}, ${size.secrets} secrets ...`);
    const started = performance.now();
    const summary = await generateTree(dir, { targetBytes: size.mib * MIB, seed, secrets: size.secrets, ...(size.files ? { files: size.files } : {}) });
    flushWrites();
    made[which] = { dir, summary, seconds: (performance.now() - started) / 1000 };
    log(`  ${summary.files.toLocaleString('en-US')} files, ${(summary.bytes / MIB).toFixed(0)} MiB in ${made[which].seconds.toFixed(0)} s`);
  }

  const runsOf: Record<'small' | 'large', { run: Run; report: TreeReport }[]> = { small: [], large: [] };
  // Interleaved (small, large, small, large, ...): the host's load changes by the minute.
  const order: ('small' | 'large')[] = [];
  for (let i = 0; i < Math.max(input.runs, input.smallRuns); i++) {
    if (i < input.smallRuns) order.push('small');
    if (i < input.runs) order.push('large');
  }
  for (const which of order) {
    const output = join(work, `report-${which}.json`);
    const run = await runNode(meter, [cli, 'scan', made[which].dir, '--format', 'json', '--no-progress', '--output', output], work);
    if (run.code !== 0 && run.code !== 1) throw new Error(`secretscan scan exited with ${run.code}: ${run.stderr.trim()}`);
    const report = slimTreeReport(JSON.parse(readFileSync(output, 'utf8')) as TreeReport);
    runsOf[which].push({ run, report });
    log(`scan ${which} ${runsOf[which].length}: ${run.seconds.toFixed(2)} s, peak RSS ${run.peakRssMiB.toFixed(0)} MiB`);
  }

  const summarize = (which: 'small' | 'large'): TreeCase => {
    const { summary, seconds: generateSeconds } = made[which];
    const list = runsOf[which];
    const report = list[0]!.report;
    const seconds = list.map((r) => r.run.seconds);
    const scannedMiB = report.scan.bytesScanned / MIB;
    const medianSeconds = median(seconds);
    return {
      files: summary.files,
      mib: summary.bytes / MIB,
      planted: summary.planted,
      generateSeconds,
      runs: list.length,
      seconds,
      medianSeconds,
      filesScanned: report.scan.filesScanned,
      scannedMiB,
      mibPerSecond: scannedMiB / medianSeconds,
      internalMibPerSecond: scannedMiB / (median(list.map((r) => r.report.scan.durationMs)) / 1000),
      peakRssMiB: Math.max(...list.map((r) => r.run.peakRssMiB)),
      peakRssPerRunMiB: list.map((r) => r.run.peakRssMiB),
      findings: report.findings.length,
      found: foundCount(summary.secrets, report),
      errors: report.errors.length,
    };
  };
  const small = summarize('small');
  const large = summarize('large');
  const ratio = large.mibPerSecond / small.mibPerSecond;
  return {
    small,
    large,
    ratio,
    internalRatio: large.internalMibPerSecond / small.internalMibPerSecond,
    targets: {
      throughput: { target: `large >= ${1 - TARGETS.maxDrop} x small MiB/s`, pass: ratio >= 1 - TARGETS.maxDrop },
      peakRss: { target: `< ${TARGETS.peakRssMiB} MiB`, pass: Math.max(small.peakRssMiB, large.peakRssMiB) < TARGETS.peakRssMiB },
    },
  };
}

/** Only what the bench reads, so three 2 GiB-tree reports are not all held at once. */
function slimTreeReport(report: TreeReport): TreeReport {
  return {
    scan: report.scan,
    errors: report.errors,
    findings: report.findings.map((f) => ({ ruleId: f.ruleId, secretHash: f.secretHash, occurrences: f.occurrences.map((o) => ({ path: o.path, line: o.line, endLine: o.endLine })) })),
  };
}

/** A planted secret is found when a finding carries its value's hash or an occurrence on its lines. */
function foundCount(planted: PlantedSecret[], report: TreeReport): number {
  const hashes = new Set(report.findings.map((f) => f.secretHash));
  const byPath = new Map<string, { line: number; endLine: number }[]>();
  for (const finding of report.findings) {
    for (const o of finding.occurrences) {
      let list = byPath.get(o.path);
      if (!list) byPath.set(o.path, (list = []));
      list.push({ line: o.line, endLine: o.endLine ?? o.line });
    }
  }
  let found = 0;
  for (const secret of planted) {
    const hash = `sha256:${createHash('sha256').update(secret.value).digest('hex')}`;
    if (hashes.has(hash) || (byPath.get(secret.path) ?? []).some((o) => o.line <= secret.endLine && secret.line <= o.endLine)) found++;
  }
  return found;
}

// ─── History ─────────────────────────────────────────────────────────────────────────────────────

interface HistoryCase {
  commits: number;
  merges: number;
  generateSeconds: number;
  patchMiB: number;
  runs: number;
  seconds: number[];
  medianSeconds: number;
  gitLogSeconds: number[];
  gitLogMedianSeconds: number;
  commitsPerSecond: number;
  patchMiBPerSecond: number;
  ratioToGitLog: number;
  peakRssMiB: number;
  ownPeakRssMiB: number;
  scannedMiB: number;
  findings: number;
  recall: ReturnType<typeof historyRecall>;
}

async function historyBench(input: {
  work: string;
  cli: string;
  meter: RssMeter;
  sizes: { smallCommits: number; largeCommits: number };
  seed: number;
  runs: number;
  log: (line: string) => void;
}) {
  const { work, cli, meter, seed, log } = input;
  const one = async (which: 'small' | 'large', commits: number, runs: number): Promise<HistoryCase> => {
    const repo = join(work, `repo-${which}`);
    log(`generating the ${which} history: ${commits.toLocaleString('en-US')} commits (git fast-import) ...`);
    const started = performance.now();
    // Both keep fast-import's pack (repacking 50,000 commits takes minutes), so the two compare alike.
    const summary = await generateRepository(repo, { commits, seed, repack: false });
    const generateSeconds = (performance.now() - started) / 1000;
    const patchMiB = (await patchBytes(repo)) / MIB;
    log(`  ${summary.commits.toLocaleString('en-US')} commits, ${patchMiB.toFixed(0)} MiB of -U0 patches, in ${generateSeconds.toFixed(0)} s`);
    const scans: Run[] = [];
    const gitLogs: Run[] = [];
    let report: HistoryReport | undefined;
    for (let i = 0; i < runs; i++) {
      gitLogs.push(await runCommand(meter, 'git', ['log', '-p', '-U0', '--all', '--no-color'], repo));
      const output = join(work, `report-history-${which}.json`);
      const run = await runNode(meter, [cli, 'git', repo, '--format', 'json', '--no-progress', '--output', output], repo);
      if (run.code !== 0 && run.code !== 1) throw new Error(`secretscan git exited with ${run.code}: ${run.stderr.trim()}`);
      report ??= JSON.parse(readFileSync(output, 'utf8')) as HistoryReport;
      scans.push(run);
      log(`history ${which} ${i + 1}: git log -p -U0 --all ${gitLogs[i]!.seconds.toFixed(2)} s; secretscan git ${run.seconds.toFixed(2)} s, peak RSS ${run.peakRssMiB.toFixed(0)} MiB`);
    }
    const seconds = scans.map((r) => r.seconds);
    const medianSeconds = median(seconds);
    const gitLogMedianSeconds = median(gitLogs.map((r) => r.seconds));
    return {
      commits: summary.commits,
      merges: summary.merges,
      generateSeconds,
      patchMiB,
      runs,
      seconds,
      medianSeconds,
      gitLogSeconds: gitLogs.map((r) => r.seconds),
      gitLogMedianSeconds,
      commitsPerSecond: summary.commits / medianSeconds,
      patchMiBPerSecond: patchMiB / medianSeconds,
      ratioToGitLog: medianSeconds / gitLogMedianSeconds,
      peakRssMiB: Math.max(...scans.map((r) => r.peakRssMiB)),
      ownPeakRssMiB: Math.max(...scans.map((r) => r.ownPeakRssMiB ?? Number.NaN)),
      scannedMiB: report!.scan.bytesScanned / MIB,
      findings: report!.findings.length,
      recall: historyRecall(summary.planted, report!),
    };
  };
  const small = await one('small', input.sizes.smallCommits, Math.max(3, input.runs));
  const large = await one('large', input.sizes.largeCommits, input.runs);
  const ratio = large.patchMiBPerSecond / small.patchMiBPerSecond;
  return {
    small,
    large,
    ratio,
    targets: {
      throughput: { target: `large >= ${1 - TARGETS.maxDrop} x small patch MiB/s`, pass: ratio >= 1 - TARGETS.maxDrop },
      // secretscan's own memory: git's child, measured with it above, is reported beside it.
      peakRss: { target: `< ${TARGETS.peakRssMiB} MiB`, pass: Math.max(small.ownPeakRssMiB, large.ownPeakRssMiB) < TARGETS.peakRssMiB },
      recall: { target: 'every planted secret found', pass: large.recall.found === large.recall.planted && small.recall.found === small.recall.planted },
    },
  };
}

// ─── Running ─────────────────────────────────────────────────────────────────────────────────────

/**
 * The meter reports the largest RSS among the process and its waited-for children, and `secretscan git`
 * waits for a `git log -p` that maps whole pack files (~800 MiB on the 50,000-commit repository). A
 * preloaded hook records Node's own peak (getrusage RUSAGE_SELF: all threads, no children) at exit.
 */
async function runNode(meter: RssMeter, args: string[], cwd: string): Promise<Run> {
  const hook = join(cwd, 'own-peak-rss.mjs');
  const out = join(cwd, 'own-peak-rss.txt');
  writeFileSync(hook, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`);
  rmSync(out, { force: true });
  const run = await runCommand(meter, process.execPath, ['--import', pathToFileURL(hook).href, ...args], cwd);
  const kib = existsSync(out) ? Number(readFileSync(out, 'utf8')) : Number.NaN;
  return { ...run, ownPeakRssMiB: kib / 1024 };
}

/** FILE ARGS with stdout discarded (git log's patches, the CLI's report goes to --output). */
async function runCommand(meter: RssMeter, file: string, args: string[], cwd: string): Promise<Run> {
  const command = meter.command(file, args);
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    const child = spawn(command.file, command.args, { cwd, env: { ...command.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stderr }));
  });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, peakRssMiB: meter.read(), code, stderr };
}

// ─── Results ─────────────────────────────────────────────────────────────────────────────────────

interface ScaleResult {
  machine: { vcpus: number; node: string; git: string; loadAtStart: number; loadAtEnd?: number; rss: string };
  scale: number;
  diskFreeMiB: number;
  tree?: Awaited<ReturnType<typeof treeBench>>;
  history?: Awaited<ReturnType<typeof historyBench>>;
}

function renderText(r: ScaleResult): string {
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const secs = (list: number[]) => list.map((x) => x.toFixed(2)).join(', ');
  const lines = [
    `secretscan bench:scale — scale ${r.scale}${r.scale !== 1 ? ' (REDUCED: every size times this)' : ''}; ${r.machine.vcpus} vCPU, node ${r.machine.node}, ${r.machine.git}`,
    `host load average ${r.machine.loadAtStart.toFixed(1)} at start, ${(r.machine.loadAtEnd ?? Number.NaN).toFixed(1)} at end: a shared host, so timings are noisy; medians, runs listed`,
  ];
  if (r.tree) {
    const { small, large } = r.tree;
    const row = (name: string, c: TreeCase) => [
      `${name}: ${n(c.files)} files, ${c.mib.toFixed(0)} MiB, ${c.planted} planted (generated in ${c.generateSeconds.toFixed(0)} s)`,
      `  scanned ${n(c.filesScanned)} files, ${c.scannedMiB.toFixed(0)} MiB; median ${c.medianSeconds.toFixed(2)} s of ${c.runs} (${secs(c.seconds)}) → ${c.mibPerSecond.toFixed(1)} MiB/s (${c.internalMibPerSecond.toFixed(1)} MiB/s without start-up); peak RSS ${c.peakRssMiB.toFixed(0)} MiB (runs: ${c.peakRssPerRunMiB.map((x) => x.toFixed(0)).join(', ')})`,
      `  ${n(c.findings)} findings; planted found ${c.found}/${c.planted}${c.errors ? `; ${c.errors} errors` : ''}`,
    ];
    lines.push(
      '',
      `worktree (secretscan scan; small and large runs interleaved)`,
      ...row('small', small),
      ...row('large', large),
      `large/small throughput: ${r.tree.ratio.toFixed(2)} (${r.tree.internalRatio.toFixed(2)} without start-up)`,
    );
  }
  if (r.history) {
    const row = (name: string, c: HistoryCase) => [
      `${name}: ${n(c.commits)} commits (${n(c.merges)} merges), ${c.patchMiB.toFixed(0)} MiB of -U0 patches (generated in ${c.generateSeconds.toFixed(0)} s)`,
      `  secretscan git: median ${c.medianSeconds.toFixed(2)} s of ${c.runs} (${secs(c.seconds)}) → ${n(c.commitsPerSecond)} commits/s, ${c.patchMiBPerSecond.toFixed(1)} patch MiB/s; ${c.ratioToGitLog.toFixed(2)}× git log -p -U0 --all (${secs(c.gitLogSeconds)}); peak RSS ${c.ownPeakRssMiB.toFixed(0)} MiB (${c.peakRssMiB.toFixed(0)} MiB with git's child)`,
      `  ${c.scannedMiB.toFixed(0)} MiB of added lines; ${n(c.findings)} findings; planted ${c.recall.planted}: found ${c.recall.found}, attributed ${c.recall.attributed}, presentAtHead right ${c.recall.presentAtHeadRight}${c.recall.missed.length ? `; missed: ${c.recall.missed.join('; ')}` : ''}`,
    ];
    lines.push('', 'history (secretscan git)', ...row('small', r.history.small), ...row('large', r.history.large), `large/small patch throughput: ${r.history.ratio.toFixed(2)}`);
  }
  lines.push('', 'targets');
  if (r.tree) {
    lines.push(
      `  worktree throughput drop <= 20 % (${r.tree.targets.throughput.target}: ${r.tree.ratio.toFixed(2)})  ${pass(r.tree.targets.throughput.pass)}`,
      `  worktree peak RSS ${r.tree.targets.peakRss.target} (${Math.max(r.tree.small.peakRssMiB, r.tree.large.peakRssMiB).toFixed(0)} MiB)  ${pass(r.tree.targets.peakRss.pass)}`,
    );
  }
  if (r.history) {
    lines.push(
      `  history throughput drop <= 20 % (${r.history.targets.throughput.target}: ${r.history.ratio.toFixed(2)})  ${pass(r.history.targets.throughput.pass)}`,
      `  history peak RSS of secretscan ${r.history.targets.peakRss.target} (${Math.max(r.history.small.ownPeakRssMiB, r.history.large.ownPeakRssMiB).toFixed(0)} MiB; git's child not counted)  ${pass(r.history.targets.peakRss.pass)}`,
      `  history: ${r.history.targets.recall.target}  ${pass(r.history.targets.recall.pass)}`,
    );
  }
  return lines.join('\n');
}


main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench:scale: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
