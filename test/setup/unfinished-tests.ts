/**
 * A reporter that names the tests still running when the run ends. Vitest reports a test process that
 * died (a native crash, a signal) only as "Worker exited unexpectedly", without the file or the test it
 * was in; this says which ones never finished, so a crash seen once in CI can be traced.
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';

export default class UnfinishedTests implements Reporter {
  private readonly running = new Map<string, TestCase>();

  onTestCaseReady(testCase: TestCase): void {
    this.running.set(testCase.id, testCase);
  }

  onTestCaseResult(testCase: TestCase): void {
    this.running.delete(testCase.id);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    if (this.running.size === 0 && unhandledErrors.length === 0) return;
    const lines = [...this.running.values()].map((testCase) => `  ${testCase.module.relativeModuleId} > ${testCase.fullName}`);
    process.stderr.write(
      lines.length > 0
        ? `unfinished tests (running when the run ended, or when their test process exited):\n${lines.join('\n')}\n`
        : 'unfinished tests: none; the unhandled errors above came from tests that finished\n',
    );
  }
}
