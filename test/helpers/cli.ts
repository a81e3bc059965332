/** The CLI run in-process with captured streams, as a user would run it, for tests. */
import { Readable } from 'node:stream';
import { run } from '../../src/cli.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  cwd: string;
  stdin?: string;
  env?: Record<string, string>;
  /** Whether stdout claims to be a terminal (colour decisions). */
  tty?: boolean;
}

export async function runCli(args: string[], options: CliRunOptions): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
    cwd: options.cwd,
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}
