import { describe, expect, it } from 'vitest';
import { scan } from '../src/scan.js';
import { tempTree } from './helpers/tmp.js';

const RULES = `rules:
  - id: acme-key
    keywords: [acme_]
    pattern: '\\b(acme_[A-Za-z0-9]{16})\\b'
`;

function secretFor(i: number): string {
  return `acme_${(i * 7919 + 104729).toString(36).padStart(8, 'q')}Xy${String(i).padStart(6, '0')}`.slice(0, 21);
}

async function manyFiles(count: number) {
  const files: Record<string, string> = { 'rules/acme.yml': RULES };
  for (let i = 0; i < count; i++) {
    const lines = Array.from({ length: 50 }, (_, n) => `const value${n} = compute(${n}); // acme_ mention without a key`);
    lines.splice(i % 50, 0, `export const key = "${secretFor(i % 37)}";`);
    files[`pkg${i % 7}/src/file${i}.ts`] = lines.join('\n');
  }
  return tempTree(files);
}

describe('scan()', () => {
  it('returns findings with secrets in clear: redaction is the reporters\u2019 step', async () => {
    const root = await tempTree({ 'rules/acme.yml': RULES, 'a.ts': `k = "${secretFor(1)}"` });
    const result = await scan({ kind: 'worktree', cwd: root, rulePaths: ['rules'] });
    expect(result.findings.map((f) => f.secret)).toEqual([secretFor(1)]);
  });

  it('gives identical results with one thread and with worker threads', async () => {
    const root = await manyFiles(400);
    const strip = (result: Awaited<ReturnType<typeof scan>>) => JSON.stringify({ ...result, stats: { ...result.stats, durationMs: 0 } });
    const single = await scan({ kind: 'worktree', cwd: root, rulePaths: ['rules'], jobs: 1 });
    const parallel = await scan({ kind: 'worktree', cwd: root, rulePaths: ['rules'], jobs: 3 });
    expect(single.findings).toHaveLength(37);
    expect(single.findings.reduce((n, f) => n + f.occurrences.length, 0)).toBe(400);
    expect(strip(parallel)).toBe(strip(single));
  });
});
