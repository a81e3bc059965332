/**
 * V8 flags set at run time. secretscan changes some while its worker threads start or run (src/early.ts,
 * src/detect/regex.ts); V8's flags belong to the whole process, and a flag some running code depends on
 * can crash it: `--no-regexp-tier-up`, set while two workers started, killed 5 of 600 processes with a
 * segmentation fault (CI lost a test process to it). Each flag the source sets is set here the same way,
 * in processes of their own, at a random moment of two detection workers' start-up; none may die.
 * `npm test` runs a few processes per flag; `npm run fuzz` runs hundreds, enough to catch a crash that
 * rare.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempTree } from '../helpers/tmp.js';
import { LONG_RUN } from './fuzz-helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'worker.js');
const PROCESSES_PER_FLAG = LONG_RUN ? 200 : 3;

/** Every string the source passes to v8.setFlagsFromString. */
function flagsSetBySource(): string[] {
  const flags = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) for (const [, flag] of readFileSync(path, 'utf8').matchAll(/setFlagsFromString\('([^']+)'\)/g)) flags.add(flag!);
    }
  };
  walk(join(ROOT, 'src'));
  return [...flags].sort();
}

// Two workers as the detection pool starts them; the flag set at a random point of their start-up.
const CHILD = `
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
const [script, flag] = process.argv.slice(2);
const workers = [0, 1].map(() => new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: 16 } }));
for (const worker of workers) { worker.unref(); worker.on('error', () => {}); }
await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
v8.setFlagsFromString(flag);
await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
await Promise.all(workers.map((worker) => worker.terminate()));
`;

function runChild(script: string, flag: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, WORKER, flag], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('V8 flags set while worker threads start', () => {
  const flags = flagsSetBySource();

  it('are found in the source', () => {
    expect(flags.length).toBeGreaterThanOrEqual(4);
    // The one that crashed: tier-up is tuned by its count (regex.ts), never switched off or on.
    expect(flags.join(' ')).not.toMatch(/--(no-)?regexp-tier-up(\s|$)/);
  });

  it.each(flags)('%s: no process dies', async (flag) => {
    const script = join(await tempTree({ 'child.mjs': CHILD }), 'child.mjs');
    const failures: string[] = [];
    // Two at a time: the machine has two cores, and the crash needs threads running side by side.
    for (let started = 0; started < PROCESSES_PER_FLAG; started += 2) {
      const results = await Promise.all(Array.from({ length: Math.min(2, PROCESSES_PER_FLAG - started) }, () => runChild(script, flag)));
      for (const result of results) if (result.code !== 0 || result.signal !== null) failures.push(`code ${result.code}, signal ${result.signal}: ${result.stderr.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
