/**
 * `npm run bench`: end-to-end speed, memory and recall of `secretscan scan` on a realistic tree.
 *
 * Generates a seeded source tree (bench/tree.ts) in a temp folder, runs the built CLI on it as a child
 * process N times (wall time, median; peak RSS of the child, max), measures cold start on one small
 * file, and checks that the planted secrets are found. The CLI is measured as users run it: a fresh
 * process each time, reading from the page cache (the tree was just written), report to a file.
 *
 *   npx tsx bench/scan.ts [--size MiB] [--runs N] [--seed N] [--secrets N] [--keep] [--json]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { flushWrites, median, positiveNumber, rssMeter, type RssMeter } from './measure.js';
import { generateTree, type PlantedSecret, type TreeSummary } from './tree.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'secretscan.js');
const MIB = 1024 * 1024;
const COLD_START_RUNS = 10;
const TARGETS = { throughputMiBps: 100, peakRssMiB: 300, coldStartMs: 300 };

interface Run {
  seconds: number;
  peakRssMiB: number;
  exitCode: number;
}

/** The parts of the JSON report (DESIGN §3) the bench reads. */
interface Report {
  scan: { filesScanned: number; bytesScanned: number; durationMs: number; skipped?: Record<string, number> };
  findings: { ruleId: string; secretHash: string; occurrences: { path: string; line: number; column: number; endLine?: number; endColumn?: number }[] }[];
  errors: unknown[];
}

const HELP = `usage: npx tsx bench/scan.ts [options]   (after npm run build; or npm run bench -- [options])
  --size MiB     tree size (default 200)
  --runs N       timed scans (default 5)
  --seed N       PRNG seed: same seed, same tree (default 1)
  --secrets N    secrets to plant (default 300)
  --keep         keep the temp folder (tree, reports, planted.json) and print its path
  --json         print the results as JSON`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '200' },
      runs: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      secrets: { type: 'string', default: '300' },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const sizeMiB = positiveNumber('--size', values.size);
  const runs = Math.round(positiveNumber('--runs', values.runs));
  const seed = Math.round(positiveNumber('--seed', values.seed, true));
  const secrets = Math.round(positiveNumber('--secrets', values.secrets, true));
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js not found; run `npm run build` first (npm run bench does)');

  const log = (line: string) => process.stderr.write(`${line}\n`);
  const work = await mkdtemp(join(tmpdir(), 'secretscan-bench-'));
  const cleanup = () => rm(work, { recursive: true, force: true });
  const onSignal = () => {
    void cleanup().finally(() => process.exit(130));
  };
  if (!values.keep) process.once('SIGINT', onSignal);
  try {
    const tree = join(work, 'tree');
    log(`generating ${sizeMiB} MiB tree in ${tree} ...`);
    const generateStart = performance.now();
    const summary = await generateTree(tree, { targetBytes: sizeMiB * MIB, seed, secrets });
    const generateSeconds = (performance.now() - generateStart) / 1000;
    flushWrites();
    writeFileSync(join(work, 'planted.json'), JSON.stringify(summary.secrets, null, 2));

    const measure = rssMeter(work);
    const scans: Run[] = [];
    let report: Report | undefined;
    for (let i = 0; i < runs; i++) {
      const output = join(work, `report-${i}.json`);
      const run = await runCli(measure, ['scan', tree, '--format', 'json', '--no-progress', '--output', output], work);
      const current = JSON.parse(readFileSync(output, 'utf8')) as Report;
      if (report && current.findings.length !== report.findings.length) log(`warning: run ${i + 1} found ${current.findings.length} findings, run 1 found ${report.findings.length}`);
      report ??= current;
      scans.push(run);
      log(`scan ${i + 1}/${runs}: ${run.seconds.toFixed(2)} s, peak RSS ${run.peakRssMiB.toFixed(0)} MiB`);
    }

    const coldFile = pickSmallFile(tree, summary, join(work, 'cold'));
    const cold: number[] = [];
    for (let i = 0; i < COLD_START_RUNS; i++) {
      const run = await runCli(measure, ['scan', coldFile, '--format', 'json', '--no-progress', '--output', join(work, 'cold-report.json')], dirname(coldFile));
      cold.push(run.seconds * 1000);
    }

    const result = summarize({ sizeMiB, seed, generateSeconds, summary, scans, report: report!, cold, rssMethod: measure.method });
    console.log(values.json ? JSON.stringify(result, null, 2) : renderText(result));
    if (values.keep) log(`kept ${work} (tree/, report-N.json, planted.json)`);
    return 0;
  } finally {
    if (!values.keep) {
      process.off('SIGINT', onSignal);
      await cleanup();
    }
  }
}

// ─── Running the CLI ─────────────────────────────────────────────────────────────────────────────

/** One CLI run: `node bin/secretscan.js ARGS`. Exit 0 (clean) and 1 (findings) are both success. */
async function runCli(meter: RssMeter, cliArgs: string[], cwd: string): Promise<Run> {
  const { file, args, env } = meter.command(process.execPath, [CLI, ...cliArgs]);
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stderr }));
  });
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0 && code !== 1) throw new Error(`secretscan ${cliArgs.join(' ')} exited with ${code}:\n${stderr.trim()}`);
  return { seconds, peakRssMiB: meter.read(), exitCode: code };
}

/** A small TypeScript file with a planted secret, copied out of the tree: the pre-commit-hook case. */
function pickSmallFile(tree: string, summary: TreeSummary, into: string): string {
  const candidates = summary.secrets
    .map((secret) => secret.path)
    .filter((path) => path.endsWith('.ts'))
    .map((path) => ({ path, size: statSync(join(tree, path)).size }))
    .filter((file) => file.size <= 4096)
    .sort((a, b) => b.size - a.size || a.path.localeCompare(b.path));
  const chosen = candidates[0]?.path ?? summary.secrets[0]?.path ?? 'README.md';
  mkdirSync(into, { recursive: true });
  const target = join(into, basename(chosen));
  copyFileSync(join(tree, chosen), target);
  return target;
}

// ─── Results ─────────────────────────────────────────────────────────────────────────────────────

interface Recall {
  planted: number;
  found: number;
  byKind: Record<string, { planted: number; found: number }>;
  missed: { kind: string; path: string; line: number }[];
  /** Findings that overlap no planted secret: false positives, or secrets the tree holds by accident. */
  otherFindings: number;
  otherByRule: Record<string, number>;
}

function summarize(input: {
  sizeMiB: number;
  seed: number;
  generateSeconds: number;
  summary: TreeSummary;
  scans: Run[];
  report: Report;
  cold: number[];
  rssMethod: string;
}) {
  const { summary, scans, report } = input;
  const seconds = scans.map((run) => run.seconds);
  const medianSeconds = median(seconds);
  const scannedMiB = report.scan.bytesScanned / MIB;
  const peakRssMiB = Math.max(...scans.map((run) => run.peakRssMiB));
  const coldMs = median(input.cold);
  const throughput = scannedMiB / medianSeconds;
  return {
    machine: { vcpus: availableParallelism(), node: process.version, rss: input.rssMethod },
    tree: {
      seed: input.seed,
      targetMiB: input.sizeMiB,
      files: summary.files,
      mib: summary.bytes / MIB,
      skippableMiB: summary.skippableBytes / MIB,
      planted: summary.planted,
      generateSeconds: input.generateSeconds,
      byKind: summary.byKind,
    },
    scan: {
      runs: scans.length,
      medianSeconds,
      minSeconds: Math.min(...seconds),
      maxSeconds: Math.max(...seconds),
      seconds,
      internalMs: report.scan.durationMs,
      filesScanned: report.scan.filesScanned,
      scannedMiB,
      skipped: report.scan.skipped ?? {},
      errors: report.errors.length,
      throughputMiBps: throughput,
      peakRssMiB,
      peakRssPerRunMiB: scans.map((run) => run.peakRssMiB),
    },
    findings: {
      secrets: report.findings.length,
      locations: report.findings.reduce((sum, finding) => sum + finding.occurrences.length, 0),
      recall: recall(summary.secrets, report),
    },
    coldStart: { runs: input.cold.length, medianMs: coldMs, minMs: Math.min(...input.cold), maxMs: Math.max(...input.cold) },
    targets: {
      throughput: { target: `>= ${TARGETS.throughputMiBps} MiB/s`, pass: throughput >= TARGETS.throughputMiBps },
      peakRss: { target: `< ${TARGETS.peakRssMiB} MiB`, pass: peakRssMiB < TARGETS.peakRssMiB },
      coldStart: { target: `< ${TARGETS.coldStartMs} ms`, pass: coldMs < TARGETS.coldStartMs },
    },
  };
}

/**
 * A planted secret is found when a finding has an occurrence overlapping its span (rules may capture a
 * wider or narrower part: a whole URL, a PEM body) or a finding's secretHash is the value's.
 */
function recall(planted: PlantedSecret[], report: Report): Recall {
  type Span = { line: number; column: number; endLine: number; endColumn: number };
  const before = (aLine: number, aColumn: number, bLine: number, bColumn: number) => aLine < bLine || (aLine === bLine && aColumn < bColumn);
  const overlaps = (a: Span, b: Span) => before(a.line, a.column, b.endLine, b.endColumn) && before(b.line, b.column, a.endLine, a.endColumn);

  const byPath = new Map<string, { span: Span; finding: number }[]>();
  const hashes = new Set<string>();
  report.findings.forEach((finding, index) => {
    hashes.add(finding.secretHash);
    for (const o of finding.occurrences) {
      const span = { line: o.line, column: o.column, endLine: o.endLine ?? o.line, endColumn: o.endColumn ?? o.column + 1 };
      let list = byPath.get(o.path);
      if (!list) byPath.set(o.path, (list = []));
      list.push({ span, finding: index });
    }
  });

  const matchedFindings = new Set<number>();
  const result: Recall = { planted: planted.length, found: 0, byKind: {}, missed: [], otherFindings: 0, otherByRule: {} };
  for (const secret of planted) {
    const kind = (result.byKind[secret.kind] ??= { planted: 0, found: 0 });
    kind.planted++;
    let found = hashes.has(`sha256:${createHash('sha256').update(secret.value).digest('hex')}`);
    for (const occurrence of byPath.get(secret.path) ?? []) {
      if (overlaps(occurrence.span, secret)) {
        found = true;
        matchedFindings.add(occurrence.finding);
      }
    }
    if (found) {
      result.found++;
      kind.found++;
    } else {
      result.missed.push({ kind: secret.kind, path: secret.path, line: secret.line });
    }
  }
  report.findings.forEach((finding, index) => {
    if (matchedFindings.has(index)) return;
    result.otherFindings++;
    result.otherByRule[finding.ruleId] = (result.otherByRule[finding.ruleId] ?? 0) + 1;
  });
  return result;
}

function renderText(r: ReturnType<typeof summarize>): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const { recall } = r.findings;
  const lines = [
    `secretscan bench — ${r.machine.vcpus} vCPU, node ${r.machine.node}`,
    `tree: ${n(r.tree.files)} files, ${r.tree.mib.toFixed(1)} MiB (planted ${r.tree.planted} secrets), generated in ${r.tree.generateSeconds.toFixed(1)} s`,
    `scanned: ${n(r.scan.filesScanned)} files, ${r.scan.scannedMiB.toFixed(1)} MiB (skipped ${Object.entries(r.scan.skipped)
      .filter(([, count]) => count > 0)
      .map(([why, count]) => `${count} ${why}`)
      .join(', ') || 'none'}; .gitignore'd and node_modules not counted)${r.scan.errors ? `; ${r.scan.errors} errors` : ''}`,
    `scan: median ${r.scan.medianSeconds.toFixed(2)} s over ${r.scan.runs} runs (min ${r.scan.minSeconds.toFixed(2)}, max ${r.scan.maxSeconds.toFixed(2)}) → ${r.scan.throughputMiBps.toFixed(0)} MiB/s; peak RSS ${r.scan.peakRssMiB.toFixed(0)} MiB (max over runs)`,
    `findings: ${n(r.findings.secrets)} secrets in ${n(r.findings.locations)} locations (planted ${recall.planted}: found ${recall.found}, recall ${((100 * recall.found) / Math.max(1, recall.planted)).toFixed(1)}%; ${recall.otherFindings} other findings${recall.otherFindings ? `: ${topEntries(recall.otherByRule)}` : ''})`,
  ];
  const missedKinds = Object.entries(recall.byKind)
    .filter(([, kind]) => kind.found < kind.planted)
    .sort((a, b) => b[1].planted - b[1].found - (a[1].planted - a[1].found) || a[0].localeCompare(b[0]))
    .map(([name, kind]) => `${name} ${kind.planted - kind.found}/${kind.planted}`);
  if (missedKinds.length > 0) lines.push(`missed: ${missedKinds.join(', ')}`);
  lines.push(
    `cold start (one small file): median ${r.coldStart.medianMs.toFixed(0)} ms over ${r.coldStart.runs} runs`,
    `targets: throughput ${r.targets.throughput.target}  ${pass(r.targets.throughput.pass)} | peak RSS ${r.targets.peakRss.target}  ${pass(r.targets.peakRss.pass)} | cold start ${r.targets.coldStart.target}  ${pass(r.targets.coldStart.pass)}`,
  );
  return lines.join('\n');
}

function topEntries(counts: Record<string, number>, limit = 4): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = entries.slice(0, limit).map(([name, count]) => `${name} ×${count}`);
  if (entries.length > limit) shown.push(`${entries.length - limit} more rules`);
  return shown.join(', ');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
