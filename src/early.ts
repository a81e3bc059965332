/**
 * What the launcher (bin/secretscan.js) does before it loads the CLI: for a `scan`, start the detection
 * worker, whose own start-up (~100-250 ms) then runs while this thread loads the CLI's modules and
 * reads the configuration and rules, on a core that would otherwise wait. The scan takes the worker
 * (DetectionPool.takeEarly) if it scans a folder, and closes it otherwise; until then it does not keep
 * the process alive, so a usage error or `--help` exits as before. Kept apart from cli.ts, which takes
 * ~40-60 ms to load, and light: only the pool and Node's worker_threads.
 */
import { DetectionPool, workerCount } from './detect/pool.js';

export function startEarly(args: readonly string[]): void {
  if (args[0] !== 'scan') return;
  const jobs = jobsArgument(args);
  if (jobs === 1 || jobs === null) return;
  DetectionPool.startEarly(workerCount(jobs));
}

/** The --jobs value on the command line: undefined when absent, null when not a positive integer (the CLI reports it). */
function jobsArgument(args: readonly string[]): number | undefined | null {
  let value: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg === '--jobs') value = args[++i];
    else if (arg.startsWith('--jobs=')) value = arg.slice('--jobs='.length);
  }
  if (value === undefined) return undefined;
  return /^[1-9][0-9]*$/.test(value) ? Number(value) : null;
}
