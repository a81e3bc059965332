/**
 * Shannon entropy in bits per character, run only on candidate secrets (a few thousand per scan).
 * H = log2(n) - Σ c·log2(c) / n, with c·log2(c) from a table: perf-probe §3 measured this form
 * 6× faster than a Map of counts, which matters only for very long secrets such as PEM bodies.
 */

const MAX_TABLED = 4096;
const C_LOG2_C = new Float64Array(MAX_TABLED + 1);
for (let c = 2; c <= MAX_TABLED; c++) C_LOG2_C[c] = c * Math.log2(c);

const counts = new Int32Array(65536);

export function shannonEntropy(text: string): number {
  const n = text.length;
  if (n <= 1) return 0;
  for (let i = 0; i < n; i++) counts[text.charCodeAt(i)]!++;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    const c = counts[code]!;
    if (c !== 0) {
      sum += c <= MAX_TABLED ? C_LOG2_C[c]! : c * Math.log2(c);
      counts[code] = 0;
    }
  }
  return Math.log2(n) - sum / n;
}
