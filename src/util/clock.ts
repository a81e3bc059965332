/**
 * Milliseconds on a monotonic clock, for durations. Not `performance.now()`: the first use of the
 * `performance` global loads Node's perf_hooks (~1-4 ms here), which the pre-commit hook would pay
 * for one subtraction.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
