/**
 * What the benches share: medians, option parsing, and the child's peak RSS (bench/scan.ts, scale.ts
 * and history.ts measure the same way, so their numbers compare).
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function positiveNumber(option: string, text: string, allowZero = false): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new Error(`${option} ${text}: give a ${allowZero ? 'non-negative' : 'positive'} number`);
  return value;
}

export interface RssMeter {
  method: string;
  /** The command that runs FILE ARGS and leaves its peak RSS where read() finds it. */
  command(file: string, args: string[]): { file: string; args: string[]; env: NodeJS.ProcessEnv };
  /** MiB; NaN when nothing was recorded. */
  read(): number;
}

/**
 * Peak RSS of the child: GNU time's %M (max resident set, KiB) when /usr/bin/time exists; otherwise, for
 * node children only, a preloaded module that writes process.resourceUsage().maxRSS (also KiB) at exit.
 */
export function rssMeter(work: string): RssMeter {
  const rssFile = join(work, 'max-rss.txt');
  try {
    accessSync('/usr/bin/time', constants.X_OK);
    return {
      method: '/usr/bin/time -f %M',
      command: (file, args) => ({ file: '/usr/bin/time', args: ['-f', '%M', '-o', rssFile, file, ...args], env: process.env }),
      read: () => Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024,
    };
  } catch {
    const hook = join(work, 'maxrss.mjs');
    writeFileSync(hook, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n");
    return {
      method: 'process.resourceUsage().maxRSS',
      command: (file, args) =>
        file === process.execPath
          ? { file, args: ['--import', pathToFileURL(hook).href, ...args], env: { ...process.env, BENCH_RSS_FILE: rssFile } }
          : { file, args, env: { ...process.env, BENCH_RSS_FILE: rssFile } },
      read: () => {
        try {
          return Number(readFileSync(rssFile, 'utf8')) / 1024;
        } catch {
          return Number.NaN;
        }
      },
    };
  }
}

/**
 * Writes what a generator left in the page cache to disk before anything is timed. Linux writes dirty
 * pages back ~30 s after they were written (vm.dirty_expire_centisecs), which for a freshly generated
 * 200 MiB tree landed in the middle of the timed scans (seen in /proc/meminfo during `npm run bench`).
 */
export function flushWrites(): void {
  try {
    execFileSync('sync', { stdio: 'ignore' });
  } catch {
    // no sync(1) here: the runs are timed as they come
  }
}
