/**
 * A reporter that names the tests still running when the run ends. Vitest reports a test process that
 * died (a native crash, a signal) only as "Worker exited unexpectedly", without the file or the test it
 * was in; this says which ones never finished, so a crash seen once in CI can be traced. It also repeats,
 * at the end where a CI log's tail shows them, the lines a dying Node prints on its stderr (a V8 check
 * that failed, a fatal error), which otherwise scroll past among the test results, and how each test
 * process that did not exit cleanly ended (its exit code or signal), which vitest does not say.
 */
import { ChildProcess } from 'node:child_process';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

const FATAL_LINE = /^.*(?:Fatal error in|FATAL ERROR|Check failed|Segmentation fault|Aborted|Debug check failed).*$/gm;
const MAX_FATAL_LINES = 20;

export default class UnfinishedTests implements Reporter {
  private readonly running = new Map<string, TestCase>();
  private readonly fatalLines: string[] = [];
  private readonly exits: string[] = [];

  constructor() {
    // Vitest's forks pool starts each test process with node:child_process: their 'exit' events pass here.
    // It ends each one it is done with by SIGTERM; any other end is kept.
    const emit = ChildProcess.prototype.emit;
    const exits = this.exits;
    ChildProcess.prototype.emit = function (this: ChildProcess, event: string | symbol, ...args: unknown[]) {
      if (event === 'exit' && this.spawnargs.some((arg) => arg.includes('vitest')) && (args[0] !== 0 || args[1] !== null) && args[1] !== 'SIGTERM') {
        exits.push(`a test process (pid ${this.pid}) ended with ${args[1] !== null ? `signal ${String(args[1])}` : `exit code ${String(args[0])}`}`);
      }
      return Reflect.apply(emit, this, [event, ...args]) as boolean;
    } as typeof emit;
    // Test processes' stderr is piped into this process's stderr (vitest's forks pool).
    const write = process.stderr.write.bind(process.stderr) as (...args: unknown[]) => boolean;
    process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (this.fatalLines.length < MAX_FATAL_LINES) {
        const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
        for (const [line] of text.matchAll(FATAL_LINE)) if (this.fatalLines.length < MAX_FATAL_LINES) this.fatalLines.push(line.trim());
      }
      return write(chunk, ...rest);
    }) as typeof process.stderr.write;
  }

  onTestCaseReady(testCase: TestCase): void {
    this.running.set(testCase.id, testCase);
  }

  onTestCaseResult(testCase: TestCase): void {
    this.running.delete(testCase.id);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const out: string[] = [];
    if (this.running.size > 0) {
      out.push('unfinished tests (running when the run ended, or when their test process exited):');
      for (const testCase of this.running.values()) out.push(`  ${testCase.module.relativeModuleId} > ${testCase.fullName}`);
    } else if (unhandledErrors.length > 0) {
      out.push('unfinished tests: none; the unhandled errors above came from tests that finished');
    }
    if (out.length > 0) out.push(...this.exits);
    if (out.length > 0 && this.fatalLines.length > 0) out.push('a test process printed:', ...this.fatalLines.map((line) => `  ${line}`));
    if (out.length > 0) process.stderr.write(`${out.join('\n')}\n`);
  }
}
