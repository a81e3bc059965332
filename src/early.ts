/**
 * What the launcher (src/launch.ts) does before the CLI runs: for a `scan` of a folder, start the
 * detection worker, whose own start-up (~100-250 ms) then runs while this thread loads the CLI's
 * modules and reads the configuration and rules, on a core that would otherwise wait; for the
 * pre-commit hook (`git --staged`), start its `git diff --cached` (or take the one the launcher started
 * before compiling the CLI). The scan takes the worker (DetectionPool.takeEarly), or closes it (a
 * config with `jobs: 1`), and the staged scan takes the diff; until then neither keeps the process
 * alive, so a usage error or `--help` exits as before. Kept apart from cli.ts, which takes ~40-60 ms to
 * load as ES modules, and light: the pool, Node's worker_threads and the git spawn.
 */
import v8 from 'node:v8';
import { DetectionPool, workerCount } from './detect/pool.js';
import { offerStagedDiff, startStagedDiff, type StagedDiff } from './sources/git-spawn.js';
import { isStagedRun, scanArguments } from './command-line.js';
import { namesAFolder } from './util/folders.js';

export function startEarly(args: readonly string[], cwd = process.cwd(), stagedDiff?: StagedDiff): void {
  if (isStagedRun(args)) {
    offerStagedDiff(stagedDiff ?? startStagedDiff(cwd));
    return;
  }
  if (args[0] !== 'scan') return;
  const { jobs, targets } = scanArguments(args.slice(1));
  if (jobs === 1 || jobs === null) return;
  // A scan of files has no use for it (the bench's cold start, a hook on named files): only a folder.
  if (!namesAFolder(targets, cwd)) return;
  DetectionPool.startEarly(workerCount(jobs));
}

/**
 * Stops the main thread's young generation from growing past `maxBytes`. V8 doubles it (up to 32 MiB
 * on this kind of machine) as objects survive scavenges, which on a scan of more than a second they
 * always do: on the 2 GiB bench:scale tree that was ~30-40 MB of peak RSS (3 interleaved runs each:
 * 297-316 MiB, capped 266-284), for no measurable speed on the bench tree (12 interleaved runs: median
 * 3.04 s, capped 3.01). Its size can only be fixed at start-up (--max-semi-space-size), which a launcher
 * cannot pass to its own process; its growth can be stopped at run time, by setting the growth factor
 * to 1 once it has reached the cap. V8's flags are the process's: a worker's young generation stops
 * growing then too (its own limit is 16 MiB, pool.ts).
 */
export function limitYoungGeneration(maxBytes = 8 * 1024 * 1024, checkEveryMs = 20): void {
  const check = setInterval(() => {
    const newSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (newSpace && newSpace.space_size < maxBytes) return;
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    clearInterval(check);
  }, checkEveryMs);
  // Never what keeps the process alive.
  check.unref();
}

/**
 * Makes the optimizing compiler inline less into one function: callees of up to 100 bytes of bytecode
 * and 200 in all (V8's defaults: 460 and 920). On two cores the compiler's threads compete with the
 * scan's two: at the defaults the detector's larger functions took 20-90 ms each to compile, in each
 * thread, and a bench scan ~1.0 s of compiler time. 16 interleaved bench-tree scans each: compiler
 * threads 0.93 -> 0.76 s, the scan's own threads unchanged within noise (1.45 / 1.36 -> 1.48 / 1.38 s),
 * wall 2.24 -> 2.13 s. Half the defaults saved less; half again, or no inlining, made the scan's own
 * threads slower by more than it saved.
 * V8's flags are the process's: workers get it too.
 */
export function limitInlining(): void {
  v8.setFlagsFromString('--max-inlined-bytecode-size-cumulative=200 --max-inlined-bytecode-size=100');
}
