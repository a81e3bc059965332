/**
 * The launcher's head start (src/early.ts): which command lines start the detection worker before the
 * CLI loads, and that a scan takes it or closes it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEarly } from '../src/early.js';
import { DetectionPool } from '../src/detect/pool.js';
import { prepareScan, scan } from '../src/scan.js';
import { tempTree } from './helpers/tmp.js';

afterEach(async () => {
  await DetectionPool.takeEarly()?.close();
});

describe('startEarly', () => {
  it.each([
    [['scan'], true],
    [['scan', 'src', '--format', 'json'], true],
    [['scan', '--jobs', '2', '.'], true],
    [['scan', '--jobs=3'], true],
    [['scan', '--jobs', '1', '.'], false],
    [['scan', '--jobs=1'], false],
    [['scan', '--jobs', 'zero'], false],
    [['git', '--staged'], false],
    [['ci', '.'], false],
    [['stdin'], false],
    [[], false],
  ])('%j starts a worker: %s', async (args, starts) => {
    startEarly(args);
    const pool = DetectionPool.takeEarly();
    expect(pool !== undefined).toBe(starts);
    await pool?.close();
  });

  it('a folder scan takes the worker started early; a file scan closes it', async () => {
    const root = await tempTree({ 'a.env': 'NOTHING=here\n', 'b/c.txt': 'plain\n' });
    startEarly(['scan', root]);
    const setup = await prepareScan({ cwd: root });
    const result = await scan({ kind: 'worktree', cwd: root, targets: [root] }, setup);
    expect(result.stats.filesScanned).toBe(2);
    expect(DetectionPool.takeEarly()).toBeUndefined();

    startEarly(['scan', 'a.env']);
    const single = await scan({ kind: 'worktree', cwd: root, targets: ['a.env'] }, setup);
    expect(single.stats.filesScanned).toBe(1);
    expect(DetectionPool.takeEarly()).toBeUndefined();
  });
});
