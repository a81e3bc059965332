/**
 * Interrupting a scan: SIGINT or SIGTERM to the real CLI in a child process while it works through a big
 * tree or a long history. It must stop within 2 s with one line on stderr saying the results are partial,
 * exit 2, write no report, and leave no temporary file (its TMPDIR is a private, empty folder) nor any
 * change in what it scanned. The content is dense with keywords so the scan is slow per byte, which keeps
 * the trees small on disk while the scan still runs for many seconds.
 */
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { tempTree } from '../helpers/tmp.js';
import { listing, privateTmp, startBin } from './fault-helpers.js';

const NOTICE = /^secretscan: interrupted by (SIGINT|SIGTERM)( after \d+ (files|commits) \([^)]*\))?: the scan is incomplete, so no report was written \(exit code 2\)\n$/;
const DENSE_LINE = 'const token = process.env.API_TOKEN; // password secret key auth bearer\n';

async function bigTree(): Promise<string> {
  const root = await tempTree({});
  const chunk = DENSE_LINE.repeat(1500); // ~110 KB of keyword hits per file
  for (let d = 0; d < 10; d++) {
    await mkdir(join(root, `pkg${d}`));
    // 110 MB: long enough that a scan is still running when the signal comes 1.5 s in (33 MB was
    // finished by then once detection got faster, on two threads).
    await Promise.all(Array.from({ length: 100 }, (_, f) => writeFile(join(root, `pkg${d}`, `file${f}.js`), chunk)));
  }
  return root;
}

/**
 * A repository of 600 commits, each adding a keyword-dense file, written in one `git fast-import`: a
 * history scan of it runs ~3-4 s, well past the moment it is interrupted (300 commits took 1.5-2 s once
 * start-up got faster, and sometimes ended first).
 */
async function bigRepository(): Promise<string> {
  const dir = await tempTree({});
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const content = DENSE_LINE.repeat(1200);
  let stream = '';
  for (let i = 0; i < 600; i++) {
    const data = `${content}// ${i}\n`;
    stream += `commit refs/heads/main\ncommitter A <a@example.org> ${1700000000 + i} +0000\ndata 2\nc\n`;
    stream += `M 100644 inline src/f${i}.js\ndata ${Buffer.byteLength(data)}\n${data}\n`;
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream });
  return dir;
}

async function interruptChild(args: string[], cwd: string, signal: NodeJS.Signals, afterMs: number) {
  const tmp = await privateTmp();
  const before = await listing(cwd);
  const { child, done } = startBin(args, { cwd, env: { TMPDIR: tmp }, timeoutMs: 30_000 });
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  expect(child.exitCode, 'the scan ended before it could be interrupted: make the input bigger').toBe(null);
  const sent = performance.now();
  child.kill(signal);
  const result = await done;
  return { ...result, afterSignalMs: performance.now() - sent, tmpLeft: await listing(tmp), changed: (await listing(cwd)).join('\n') !== before.join('\n') };
}

describe('SIGINT and SIGTERM to a running scan (child process)', () => {
  it.each([
    ['SIGINT', ['--jobs', '2']],
    ['SIGTERM', ['--jobs', '1']],
  ] as const)('secretscan scan on a big tree, %s (%s): stops within 2 s, one-line notice, exit 2, no report, no temp files', async (signal, jobs) => {
    const root = await bigTree();
    const result = await interruptChild(['scan', '.', '--format', 'json', ...jobs], root, signal, 1500);
    expect(result.timedOut).toBe(false);
    expect(result.afterSignalMs).toBeLessThan(2000);
    // Well inside the CLI's 1 s fallback exit: the clean shutdown worked (workers ended, nothing left
    // running), rather than the fallback timer cutting it short.
    expect(result.afterSignalMs).toBeLessThan(900);
    expect(result.signal).toBe(null); // it exited, it was not killed by the signal
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(NOTICE);
    expect(result.stderr).toMatch(/after \d+ files/);
    expect(result.stdout).toBe('');
    expect(result.tmpLeft).toEqual([]);
    expect(result.changed).toBe(false);
  });

  it('secretscan git on a long history, SIGINT: stops within 2 s, kills git, exit 2, no report, .git untouched', async () => {
    const repo = await bigRepository();
    const result = await interruptChild(['git', '.', '--format', 'json'], repo, 'SIGINT', 1500);
    expect(result.timedOut).toBe(false);
    expect(result.afterSignalMs).toBeLessThan(2000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(NOTICE);
    expect(result.stdout).toBe('');
    expect(result.tmpLeft).toEqual([]);
    expect(result.changed).toBe(false);
  });

  it('--output: an interrupted scan does not write the report file', async () => {
    const root = await bigTree();
    const out = join(await tempTree({}), 'report.json');
    const result = await interruptChild(['scan', '.', '--format', 'json', '--output', out], root, 'SIGINT', 1500);
    expect(result.code).toBe(2);
    expect(await listing(join(out, '..'))).toEqual([]);
  });
});

describe('interruption in-process (a signal source passed to run)', () => {
  it('run() returns 2 with the notice, and the next run in the same process is not affected', async () => {
    const root = await bigTree();
    const signals = new EventEmitter();
    let stdout = '';
    let stderr = '';
    const io = { cwd: root, env: {}, signals, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } };
    const running = run(['scan', '.', '--format', 'json', '--jobs', '2'], io);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const sent = performance.now();
    signals.emit('SIGINT');
    expect(await running).toBe(2);
    expect(performance.now() - sent).toBeLessThan(2000);
    expect(stderr).toMatch(NOTICE);
    expect(signals.listenerCount('SIGINT')).toBe(0);
    // Let the stopped scan unwind: it must not print its report behind the notice.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stdout).toBe('');

    const small = await tempTree({ 'a.txt': 'nothing here\n' });
    let out = '';
    const code = await run(['scan', '.', '--format', 'json'], { ...io, cwd: small, stdout: { write: (text: string) => (out += text) } });
    expect(code).toBe(0);
    expect(JSON.parse(out).scan.filesScanned).toBe(1);
  });

  it('commands that do not scan do not take over the signals', async () => {
    const signals = new EventEmitter();
    const cwd = await tempTree({});
    const code = await run(['rules', '--format', 'json'], { cwd, env: {}, signals, stdout: { write: () => true }, stderr: { write: () => true } });
    expect(code).toBe(0);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });
});
