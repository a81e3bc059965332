/**
 * Helpers for the fault tests: the built CLI as a child process (so a hang is a timeout we can see, not a
 * stuck test worker), optionally as `nobody` so permissions mean something when the suite runs as root,
 * and a private TMPDIR so "no temp files left" is checked against a folder nothing else writes to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO_ROOT, 'bin/secretscan.js');
export const NOBODY = 65534;
export const isRoot = process.getuid?.() === 0;

export interface BinResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

export interface BinOptions {
  cwd: string;
  timeoutMs?: number;
  asNobody?: boolean;
  env?: Record<string, string>;
}

/** Starts the built CLI; `done` settles when it exits (SIGKILL after timeoutMs). */
export function startBin(args: string[], options: BinOptions): { child: ChildProcess; done: Promise<BinResult> } {
  const started = performance.now();
  const identity = options.asNobody && isRoot ? { uid: NOBODY, gid: NOBODY } : {};
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.cwd, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...identity,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 20_000);
  const done = new Promise<BinResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: performance.now() - started });
    });
  });
  return { child, done };
}

export function runBin(args: string[], options: BinOptions): Promise<BinResult> {
  return startBin(args, options).done;
}

const created: string[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** An empty folder to be a child's TMPDIR, removed after the test; world-writable for `nobody`. */
export async function privateTmp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'secretscan-faults-tmp-'));
  created.push(dir);
  await chmod(dir, 0o1777);
  return dir;
}

export async function listing(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

export interface JsonReport {
  scan: { filesScanned: number; bytesScanned: number; commitsScanned: number; skipped: Record<string, number>; git?: { engine: string; shallow: boolean }; notices?: string[] };
  findings: { ruleId: string; secret: string; occurrences: { path: string; line: number; commit?: string }[] }[];
  errors: { path: string; message: string }[];
}

export function parseReport(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

/** Every path of every occurrence in a report. */
export function occurrencePaths(report: JsonReport): string[] {
  return report.findings.flatMap((finding) => finding.occurrences.map((occurrence) => occurrence.path)).sort();
}
