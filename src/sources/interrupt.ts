/**
 * Stopping the sources when a scan is interrupted (SIGINT/SIGTERM, caught in cli.ts). Signals are
 * process-wide, so this is too: every source running in the process stops at its next file or chunk by
 * throwing ScanInterrupted, and every Git child still running is killed, so nothing keeps the process
 * alive afterwards.
 *
 * A counter, not a flag: a source only stops for an interruption that came after it started, so a test
 * (or any embedder) can interrupt one run and start the next in the same process.
 */
import type { ChildProcess } from 'node:child_process';

/** The scan was interrupted: the sources stop, and nothing should be reported as if it were complete. */
export class ScanInterrupted extends Error {
  constructor(readonly signal: string = 'a signal') {
    super(`interrupted by ${signal}`);
  }
}

let interruptions = 0;
let lastSignal = 'a signal';
const children = new Set<ChildProcess>();

/** Stops every source now running at its next step, and kills every Git child. */
export function interruptSources(signal: string): void {
  interruptions++;
  lastSignal = signal;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  children.clear();
}

/** Called when a source starts: the returned function throws ScanInterrupted once an interruption comes. */
export function interruptCheck(): () => void {
  const startedAt = interruptions;
  return () => {
    if (interruptions !== startedAt) throw new ScanInterrupted(lastSignal);
  };
}

/** A child process interruptSources() must kill; forgotten once it exits. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('close', () => children.delete(child));
}
