/**
 * Memory under big inputs (issue #8): a fresh process scans one input (fuzz-memory-child.ts) and reports
 * its peak RSS. A separate process, because a test worker's peak is whatever the heaviest earlier test
 * left, and a delta inside it could pass without measuring anything.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scaled } from './fuzz-helpers.js';

const CHILD = fileURLToPath(new URL('./fuzz-memory-child.ts', import.meta.url));
const MiB = 1024 * 1024;

function peakGrowth(shape: string, size: number): { size: number; growth: number } {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, shape, String(size)], { encoding: 'utf8', timeout: 300_000 });
  expect(run.status, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as { size: number; before: number; peak: number; errors: number };
  expect(report.errors).toBe(0);
  return { size: report.size, growth: report.peak - report.before };
}

describe('memory stays within a multiple of the input', () => {
  // The input itself is already resident before the scan; the decoded text is at most twice its size
  // (UTF-16). 3× covers that with room for windows and candidates; a copy per window or per rule would
  // not fit. A constant allows for the regex and JIT code the first scan compiles.
  it('a 50 MB single line', () => {
    const { size, growth } = peakGrowth('long-line', 50 * MiB);
    expect(growth, `${(growth / MiB).toFixed(0)} MiB over ${(size / MiB).toFixed(0)} MiB`).toBeLessThan(3 * size + 64 * MiB);
  }, 300_000);

  it('random bytes', () => {
    const { size, growth } = peakGrowth('random', scaled(16, 64) * MiB);
    expect(growth, `${(growth / MiB).toFixed(0)} MiB over ${(size / MiB).toFixed(0)} MiB`).toBeLessThan(3 * size + 64 * MiB);
  }, 300_000);

  it('a million short lines', () => {
    // Line starts, keyword hits and windows are kept per line here, so the multiple is larger; what
    // matters is that it is a multiple (measured ~8× at 20 MB), not a function of lines × rules.
    const { size, growth } = peakGrowth('short-lines', scaled(8.5, 40) * MiB);
    expect(growth, `${(growth / MiB).toFixed(0)} MiB over ${(size / MiB).toFixed(0)} MiB`).toBeLessThan(12 * size + 64 * MiB);
  }, 300_000);
});
