import { describe, expect, it } from 'vitest';
import { DetectionPool, MAX_BYTES_IN_FLIGHT_PER_WORKER, workerCount } from '../../src/detect/pool.js';
import { testRule } from '../helpers/rules.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { runScript } from '../helpers/tmp.js';
import { isVetted } from '../../src/rules/load.js';

const SECRET = `acme_${createFaker(2).make('alnum:16')}`;

describe('DetectionPool', () => {
  it('detects in worker threads, with the same candidates as the main thread, and user rules on re2js', async () => {
    const rules = [testRule({ id: 'v8-rule', credentialType: 'api-key', keywords: ['acme_'], pattern: '\\b(acme_[A-Za-z0-9]{16})\\b' }), testRule({ id: 're2-rule', credentialType: 'api-key', keywords: ['acme_'], pattern: '\\b(acme_[A-Za-z0-9]{16})\\b' }, false)];
    const pool = DetectionPool.create(rules, rules.map(isVetted), 2);
    expect(pool, 'dist/worker.js must exist: run `npm run build`').toBeDefined();
    try {
      const submitted = pool!.trySubmit({ path: 'a.ts', source: 'worktree' }, Buffer.from(`x\n  k = "${SECRET}"\n`));
      expect(submitted).toBeDefined();
      const candidates = await submitted!;
      expect(candidates.map((c) => [c.ruleId, c.secret, c.line, c.column, c.origin.path])).toEqual([
        ['v8-rule', SECRET, 2, 8, 'a.ts'],
        ['re2-rule', SECRET, 2, 8, 'a.ts'],
      ]);
    } finally {
      await pool!.close();
    }
  });

  it('turns files away when every worker is full, so the main thread takes them', async () => {
    const pool = DetectionPool.create([testRule({ id: 'r', keywords: ['x'], pattern: 'x' })], [true], 1)!;
    try {
      const big = Buffer.alloc(MAX_BYTES_IN_FLIGHT_PER_WORKER + 1, 0x61);
      const first = pool.trySubmit({ path: 'big', source: 'worktree' }, big);
      expect(first).toBeDefined();
      expect(pool.trySubmit({ path: 'next', source: 'worktree' }, Buffer.from('x'))).toBeUndefined();
      await first;
      await expect(pool.trySubmit({ path: 'next', source: 'worktree' }, Buffer.from('x'))).resolves.toHaveLength(1);
    } finally {
      await pool.close();
    }
  });

  it('settles every file of a burst of small ones, sent in batches while the worker is busy', async () => {
    const pool = DetectionPool.create([testRule({ id: 'v8-rule', credentialType: 'api-key', keywords: ['acme_'], pattern: '\\b(acme_[A-Za-z0-9]{16})\\b' })], [true], 1)!;
    try {
      const submitted = Array.from({ length: 300 }, (_, i) => pool.trySubmit({ path: `f${i}.ts`, source: 'worktree' }, Buffer.from(i % 3 === 0 ? `k = "${SECRET}"\n` : `nothing ${i}\n`)));
      expect(submitted.every((promise) => promise !== undefined)).toBe(true);
      const results = await Promise.all(submitted);
      expect(results.map((candidates) => candidates!.map((c) => c.origin.path))).toEqual(Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? [`f${i}.ts`] : [])));
    } finally {
      await pool.close();
    }
  });

  it('hands files not yet sent to a worker back to the main thread when the walk ends', async () => {
    const pool = DetectionPool.create([testRule({ id: 'v8-rule', credentialType: 'api-key', keywords: ['acme_'], pattern: '\\b(acme_[A-Za-z0-9]{16})\\b' })], [true], 1)!;
    try {
      // Once the worker has answered a file it has started, and files are sent to it.
      await pool.trySubmit({ path: 'first.ts', source: 'worktree' }, Buffer.from('nothing'));
      // 40 files of 200 KiB: more than a worker is sent at once, less than it may have in flight.
      const files = Array.from({ length: 40 }, (_, i) => Buffer.from(`k = "${SECRET}"\n${'x'.repeat(200 * 1024)}`));
      const submitted = files.map((bytes, i) => pool.trySubmit({ path: `f${i}.ts`, source: 'worktree' }, bytes));
      expect(submitted.every((promise) => promise !== undefined)).toBe(true);
      const takenBack: string[] = [];
      pool.takeBackUnsent((origin) => {
        takenBack.push(origin.path);
        return [{ ruleId: 'here', origin } as never];
      });
      const results = await Promise.all(submitted);
      expect(takenBack.length).toBeGreaterThan(0);
      expect(takenBack.length).toBeLessThan(40);
      // Each file settled once, from the worker or from here.
      results.forEach((candidates, i) => {
        expect(candidates).toHaveLength(1);
        expect(candidates![0]!.ruleId).toBe(takenBack.includes(`f${i}.ts`) ? 'here' : 'v8-rule');
      });
    } finally {
      await pool.close();
    }
  });

  it('sends nothing to a worker that is still starting: the main thread can take every file back', async () => {
    const pool = DetectionPool.create([testRule({ id: 'v8-rule', credentialType: 'api-key', keywords: ['acme_'], pattern: '\\b(acme_[A-Za-z0-9]{16})\\b' })], [true], 1)!;
    try {
      const submitted = Array.from({ length: 5 }, (_, i) => pool.trySubmit({ path: `f${i}.ts`, source: 'worktree' }, Buffer.from(`k = "${SECRET}"\n`)));
      const takenBack: string[] = [];
      pool.takeBackUnsent((origin) => {
        takenBack.push(origin.path);
        return [];
      });
      expect(takenBack).toEqual(['f0.ts', 'f1.ts', 'f2.ts', 'f3.ts', 'f4.ts']);
      await expect(Promise.all(submitted)).resolves.toEqual([[], [], [], [], []]);
    } finally {
      await pool.close();
    }
  });

  it('boots workers before it has rules, detects once it gets them, and closes unused', async () => {
    const started = DetectionPool.start(1)!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    started.useRules([testRule({ id: 'v8-rule', credentialType: 'api-key', keywords: ['acme_'], pattern: '\\b(acme_[A-Za-z0-9]{16})\\b' })], [true]);
    try {
      const candidates = await started.trySubmit({ path: 'late.ts', source: 'worktree' }, Buffer.from(`k = "${SECRET}"\n`))!;
      expect(candidates.map((c) => [c.ruleId, c.secret, c.origin.path])).toEqual([['v8-rule', SECRET, 'late.ts']]);
    } finally {
      await started.close();
    }
    // A pool that never got rules (the scan failed first) closes too.
    await DetectionPool.start(1)!.close();
  });

  it('does not keep a process alive with workers that never got rules', async () => {
    const child = await runScript(`import { DetectionPool } from '{{src}}detect/pool.ts';\nDetectionPool.start(1);\nconsole.log('started');\n`, [], 15_000);
    expect(child.stdout.trim()).toBe('started');
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
  });

  it.each([
    [1, 0],
    [2, 1],
    [4, 3],
  ])('--jobs %i means %i workers', (jobs, workers) => {
    expect(workerCount(jobs)).toBe(workers);
  });
});
