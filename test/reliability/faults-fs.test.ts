/**
 * Faults on the file system, on real files: what cannot be read, what changes under the scan, what must
 * never be opened (FIFOs, sockets), where links lead, and names the OS allows but tools often mangle.
 * Each one must be listed in the report's `errors` (or counted as skipped) while the scan goes on to find
 * the secret planted next to it. Cases that could block run the built CLI in a child process with a
 * kill timeout, so a regression is a failed assertion, not a stuck test worker.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, rename, rm, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { escapeName, worktreeFiles, type WorktreeReport } from '../../src/sources/worktree.js';
import { runCli } from '../helpers/cli.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree } from '../helpers/tmp.js';
import { isRoot, occurrencePaths, parseReport, runBin } from './fault-helpers.js';

const faker = createFaker(0xfa17);
const token = () => faker.make('github:ghp');
const line = (secret: string) => `GITHUB_TOKEN=${secret}\n`;

function emptyReport(): WorktreeReport {
  return { skipped: { binary: 0, tooLarge: 0, symlink: 0, unreadable: 0 }, errors: [] };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A listening Unix socket at `path` (closed after the test). */
async function unixSocket(path: string): Promise<void> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, resolve));
}

async function scanJson(cwd: string, ...args: string[]) {
  const result = await runCli(['scan', ...args, '--format', 'json'], { cwd });
  return { ...result, report: parseReport(result.stdout) };
}

describe('unreadable files and folders', () => {
  async function lockedTree() {
    const [visible, hidden] = [token(), token()];
    const root = await tempTree({ 'a.txt': line(visible), 'locked.env': line(hidden), 'private/inner.env': line(hidden), 'z/after.txt': line(visible) });
    await chmod(root, 0o755);
    await chmod(join(root, 'locked.env'), 0o000);
    await chmod(join(root, 'private'), 0o000);
    return { root, visible, hidden, unlock: () => chmod(join(root, 'private'), 0o755) };
  }

  it('lists an unreadable file and folder in errors and scans the rest (as nobody when the suite runs as root)', async () => {
    // Root reads through mode 000, so the child runs as uid 65534 then: the real thing, not a simulation.
    const { root, unlock } = await lockedTree();
    try {
      const result = await runBin(['scan', root, '--format', 'json'], { cwd: root, asNobody: true });
      expect(result.timedOut).toBe(false);
      expect(result.code, result.stderr).toBe(1);
      const report = parseReport(result.stdout);
      expect(occurrencePaths(report)).toEqual(['a.txt', 'z/after.txt']);
      expect(report.scan.skipped.unreadable).toBe(1);
      expect(report.errors).toEqual([
        { path: 'locked.env', message: 'cannot read file: permission denied; skipped' },
        { path: 'private', message: 'cannot read directory: permission denied; skipped' },
      ]);
    } finally {
      await unlock();
    }
  });

  it('as the current user in-process: root reads mode 000 files (and says nothing), anyone else gets errors', async () => {
    const { root, unlock } = await lockedTree();
    try {
      const { code, report } = await scanJson(root);
      expect(code).toBe(1);
      if (isRoot) {
        // CAP_DAC_OVERRIDE: nothing was unreadable, so nothing is reported as such.
        expect(occurrencePaths(report)).toEqual(['a.txt', 'locked.env', 'private/inner.env', 'z/after.txt']);
        expect(report.errors).toEqual([]);
      } else {
        expect(occurrencePaths(report)).toEqual(['a.txt', 'z/after.txt']);
        expect(report.errors.map((error) => error.path)).toEqual(['locked.env', 'private']);
      }
    } finally {
      await unlock();
    }
  });
});

describe('files that change between the walk and the read', () => {
  // A folder is listed whole before its files are read, one at a time, as the consumer asks: changing
  // the tree after the first file arrives hits files the walk has listed and not yet read.
  async function walkWhile(root: string, onFirst: () => Promise<void>) {
    const report = emptyReport();
    const files: { path: string; size: number }[] = [];
    for await (const file of worktreeFiles({ targets: [root], root, exclude: [], maxFileSize: 1 << 20 }, report)) {
      if (files.length === 0) await onFirst();
      files.push({ path: file.path, size: file.bytes.length });
    }
    return { files, report };
  }

  it('reports files deleted after the walk listed them, and reads the others', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `f${String(i).padStart(3, '0')}.txt`);
    const root = await tempTree(Object.fromEntries(names.map((name) => [name, 'x'.repeat(10)])));
    const deleted = names.filter((_, i) => i % 2 === 1);
    const { files, report } = await walkWhile(root, () => Promise.all(deleted.map((name) => unlink(join(root, name)))).then(() => undefined));
    expect(files.map((file) => file.path)).toEqual(names.filter((_, i) => i % 2 === 0));
    expect(report.skipped.unreadable).toBe(100);
    expect(report.errors).toEqual(deleted.map((path) => ({ path, message: 'cannot read file: no such file (deleted during the scan?); skipped' })));
  });

  it('reads what is left of a file truncated after the walk, and a file swapped for a folder is an error', async () => {
    const root = await tempTree({ 'a.txt': 'a', 'half.txt': 'y'.repeat(1000), 'empty.txt': 'z'.repeat(1000), 'swapped.txt': 's' });
    const { files, report } = await walkWhile(root, async () => {
      await truncate(join(root, 'half.txt'), 500);
      await truncate(join(root, 'empty.txt'), 0);
      await unlink(join(root, 'swapped.txt'));
      await mkdir(join(root, 'swapped.txt'));
    });
    expect(files).toEqual([
      { path: 'a.txt', size: 1 },
      { path: 'empty.txt', size: 0 },
      { path: 'half.txt', size: 500 },
    ]);
    expect(report.errors).toEqual([{ path: 'swapped.txt', message: 'not a regular file (directory); skipped' }]);
  });

  it('does not block on a file swapped for a FIFO after the walk (child process, killed if it hangs)', async () => {
    const secret = token();
    const root = await tempTree({ 'a.txt': line(secret), 'b.txt': 'b' });
    // The swap must happen between listing and reading: a rule file whose load is slow would be racy, so
    // the CLI is run on two targets, the FIFO named second, which is opened only after the first is read.
    await unlink(join(root, 'b.txt'));
    execFileSync('mkfifo', [join(root, 'b.txt')]);
    const result = await runBin(['scan', 'a.txt', 'b.txt', '--format', 'json'], { cwd: root, timeoutMs: 10_000 });
    expect(result.timedOut, 'the scan blocked opening a FIFO').toBe(false);
    expect(result.code).toBe(1);
    const report = parseReport(result.stdout);
    expect(occurrencePaths(report)).toEqual(['a.txt']);
    expect(report.errors).toEqual([{ path: 'b.txt', message: expect.stringMatching(/not a regular file/) }]);
  });
});

describe('FIFOs and sockets', () => {
  it('regression: FIFOs and sockets inside a scanned folder are listed in errors, not silently dropped, and never opened', async () => {
    const secret = token();
    const root = await tempTree({ 'a.txt': line(secret), 'sub/b.txt': line(secret) });
    execFileSync('mkfifo', [join(root, 'pipe'), join(root, 'sub', 'pipe')]);
    await unixSocket(join(root, 'sub', 'sock'));
    const result = await runBin(['scan', '.', '--format', 'json'], { cwd: root, timeoutMs: 10_000 });
    expect(result.timedOut, 'the scan blocked on a FIFO').toBe(false);
    expect(result.code).toBe(1);
    const report = parseReport(result.stdout);
    expect(occurrencePaths(report)).toEqual(['a.txt', 'sub/b.txt']);
    expect(report.errors).toEqual([
      { path: 'pipe', message: 'not a regular file (FIFO); skipped' },
      { path: 'sub/pipe', message: 'not a regular file (FIFO); skipped' },
      { path: 'sub/sock', message: 'not a regular file (socket); skipped' },
    ]);
  });

  it('a FIFO or socket that a .gitignore ignores is neither opened nor reported', async () => {
    const root = await tempTree({ '.gitignore': 'pipe\nsock\n', 'a.txt': 'a' });
    execFileSync('mkfifo', [join(root, 'pipe')]);
    await unixSocket(join(root, 'sock'));
    const result = await runBin(['scan', '.', '--format', 'json'], { cwd: root, timeoutMs: 10_000 });
    expect(result.timedOut).toBe(false);
    expect(parseReport(result.stdout).errors).toEqual([]);
  });

  it('regression: a .gitignore that is a FIFO does not hang the walk', async () => {
    const secret = token();
    const root = await tempTree({ 'a.txt': line(secret) });
    execFileSync('mkfifo', [join(root, '.gitignore')]);
    const result = await runBin(['scan', '.', '--format', 'json'], { cwd: root, timeoutMs: 10_000 });
    expect(result.timedOut, 'reading a FIFO .gitignore blocked the walk').toBe(false);
    expect(result.code).toBe(1);
    const report = parseReport(result.stdout);
    expect(occurrencePaths(report)).toEqual(['a.txt']);
    expect(report.errors).toEqual([{ path: '.gitignore', message: 'not a regular file (FIFO); skipped' }]);
  });

  it('regression: a .gitignore linked to /dev/zero is not read (it read until the process ran out of memory)', async () => {
    const secret = token();
    const root = await tempTree({ 'a.txt': line(secret), 'sub/b.txt': line(secret) });
    await symlink('/dev/zero', join(root, '.gitignore'));
    await symlink('/dev/zero', join(root, 'sub', '.gitignore'));
    const result = await runBin(['scan', '.', '--format', 'json'], { cwd: root, timeoutMs: 10_000 });
    expect(result.timedOut).toBe(false);
    expect(result.code, result.stderr).toBe(1);
    const report = parseReport(result.stdout);
    expect(occurrencePaths(report)).toEqual(['a.txt', 'sub/b.txt']);
    expect(report.scan.skipped.symlink).toBe(2);
  });
});

describe('symbolic links', () => {
  it('never follows links out of the root, finishes on link loops, and counts every link', async () => {
    const [inside, outside] = [token(), token()];
    const elsewhere = await tempTree({ 'outside.env': line(outside), 'dir/deep.env': line(outside) });
    const root = await tempTree({ 'in.env': line(inside), 'a/b/file.txt': 'f' });
    await symlink(join(elsewhere, 'outside.env'), join(root, 'out-file'));
    await symlink(elsewhere, join(root, 'out-dir'));
    await symlink('../../..', join(root, 'a', 'b', 'up')); // back above the root
    await symlink('.', join(root, 'self-dir'));
    await symlink('loop', join(root, 'loop'));
    await symlink('ping', join(root, 'pong'));
    await symlink('pong', join(root, 'ping'));
    const started = performance.now();
    const { code, report } = await scanJson(root);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(code).toBe(1);
    expect(report.findings.flatMap((finding) => finding.occurrences.map((o) => o.path))).toEqual(['in.env']);
    expect(report.scan.skipped.symlink).toBe(7);
    expect(report.errors).toEqual([]);
  });

  it('a link loop named on the command line is an error; the other targets are scanned', async () => {
    const secret = token();
    const root = await tempTree({ 'a.env': line(secret) });
    await symlink('loop', join(root, 'loop'));
    const { code, report } = await scanJson(root, 'loop', 'a.env');
    expect(code).toBe(1);
    expect(occurrencePaths(report)).toEqual(['a.env']);
    expect(report.errors).toEqual([{ path: 'loop', message: 'cannot open: too many levels of symbolic links (a link loop?); skipped' }]);
  });
});

describe('very long paths', () => {
  it('scans a file with a 255-byte name at the end of a path near PATH_MAX', async () => {
    const secret = token();
    const root = await tempTree({});
    // 15 folders of 250 characters: about 3,800 bytes below a root of about 30, under Linux's 4,096.
    const folders = Array.from({ length: 15 }, (_, i) => `${String(i).padStart(2, '0')}${'d'.repeat(248)}`);
    const name = `${'n'.repeat(251)}.env`;
    const multibyte = `${'é'.repeat(125)}.txt`; // 125 × 2 + 4 = 254 bytes
    const dir = join(root, ...folders);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, name), line(secret));
    await writeFile(join(root, multibyte), line(secret));
    expect(Buffer.byteLength(join(dir, name))).toBeGreaterThan(3900);
    const { code, report } = await scanJson(root);
    expect(code).toBe(1);
    expect(occurrencePaths(report)).toEqual([`${folders.join('/')}/${name}`, multibyte]);
    expect(report.errors).toEqual([]);
  });

  it('a folder deeper than PATH_MAX is listed in errors, and the rest is scanned', async () => {
    const secret = token();
    const root = await tempTree({ 'a.env': line(secret) });
    // A path this long cannot be given whole: the chain is built bottom-up by renames of short paths.
    const step = 'd'.repeat(250);
    const script = `cd "$1" && mkdir c && echo x > c/deep.txt && for i in $(seq 1 20); do mkdir n && mv c n/${step} && mv n c; done && mv c ${step}`;
    execFileSync('sh', ['-c', script, 'sh', root]);
    try {
      const { code, report } = await scanJson(root);
      expect(code).toBe(1);
      expect(occurrencePaths(report)).toEqual(['a.env']);
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]!.message).toBe('cannot read directory: path too long for the system (ENAMETOOLONG); skipped');
      expect(report.errors[0]!.path.startsWith(`${step}/${step}/`)).toBe(true);
    } finally {
      execFileSync('rm', ['-rf', join(root, step)]);
    }
  });
});

describe('file names with newlines and bytes that are not UTF-8', () => {
  async function oddNames() {
    const secret = token();
    const root = await tempTree({ 'plain.env': line(secret), 'new\nline.env': line(secret), 'dir\nwith newline/x.env': line(secret) });
    // Names are bytes to the kernel: Latin-1 "é" (0xE9) and a lone 0xFF are not UTF-8.
    const rawName = Buffer.concat([Buffer.from(root), Buffer.from('/caf'), Buffer.from([0xe9]), Buffer.from('.env')]);
    await writeFile(rawName, line(secret));
    const rawDir = Buffer.concat([Buffer.from(root), Buffer.from('/bad'), Buffer.from([0xff]), Buffer.from('dir')]);
    await mkdir(rawDir);
    await writeFile(Buffer.concat([rawDir, Buffer.from('/inner.env')]), line(secret));
    await writeFile(Buffer.concat([rawDir, Buffer.from('/.gitignore')]), 'ignored.env\n');
    await writeFile(Buffer.concat([rawDir, Buffer.from('/ignored.env')]), line(secret));
    return { root, secret };
  }

  it('regression: a file whose name holds a newline is scanned (the glob walker dropped it silently)', async () => {
    const { root } = await oddNames();
    const { code, report } = await scanJson(root);
    expect(code).toBe(1);
    expect(occurrencePaths(report)).toContain('new\nline.env');
    expect(occurrencePaths(report)).toContain('dir\nwith newline/x.env');
  });

  it('regression: a file whose name is not UTF-8 is read by its bytes and reported with \\x escapes (it was reported as deleted)', async () => {
    const { root } = await oddNames();
    const { code, report } = await scanJson(root);
    expect(code).toBe(1);
    expect(occurrencePaths(report)).toEqual(['bad\\xffdir/inner.env', 'caf\\xe9.env', 'dir\nwith newline/x.env', 'new\nline.env', 'plain.env']);
    expect(report.errors).toEqual([]);
    expect(report.scan.filesScanned).toBe(6); // .gitignore included; its ignored.env is not
  });

  it('escapes only the bytes that are not UTF-8, so the name stays readable and two names never collide', () => {
    expect(escapeName(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBe('caf\\xe9');
    expect(escapeName(Buffer.from([0xe9]))).not.toBe(escapeName(Buffer.from([0xea])));
    expect(escapeName(Buffer.concat([Buffer.from('日本'), Buffer.from([0xff, 0xfe]), Buffer.from('é')]))).toBe('日本\\xff\\xfeé');
    expect(escapeName(Buffer.from([0xe6, 0x97]))).toBe('\\xe6\\x97'); // a truncated sequence
    expect(escapeName(Buffer.from([0xed, 0xa0, 0x80]))).toBe('\\xed\\xa0\\x80'); // an encoded surrogate
  });

  it('JSON and SARIF carry such paths intact and valid; the text report keeps each location on one line', async () => {
    const { root } = await oddNames();
    const json = await runCli(['scan', '--format', 'json'], { cwd: root });
    expect(() => JSON.parse(json.stdout)).not.toThrow();
    const sarif = await runCli(['scan', '--format', 'sarif'], { cwd: root });
    const uris = (JSON.parse(sarif.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }).runs[0]!.results.map(
      (result) => result.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    expect(uris).toContain('new%0Aline.env');
    expect(uris).toContain('caf%5Cxe9.env');
    for (const uri of uris) expect(uri).toMatch(/^[A-Za-z0-9\-._~%/!$&'()*+,;=:@]+$/);
    const text = await runCli(['scan', '--no-color'], { cwd: root });
    expect(text.stdout).toContain('new\\nline.env:1:14');
    expect(text.stdout).toContain('caf\\xe9.env:1:14');
    expect(text.stdout.split('\n').some((outputLine) => /^line\.env/.test(outputLine))).toBe(false);
  });

  it('a name holding a terminal escape sequence is printed inert in the text report', async () => {
    const secret = token();
    const root = await tempTree({ 'evil\u001b[2J\u001b[31m.env': line(secret) });
    const text = await runCli(['scan', '--no-color'], { cwd: root });
    expect(text.code).toBe(1);
    expect(text.stdout).not.toContain('\u001b');
    expect(text.stdout).toContain('evil\\x1b[2J\\x1b[31m.env:1:14');
  });
});

describe('odd names', () => {
  it('regression: a file named like a binary extension but without a dot (lib, db, a) is scanned', async () => {
    const secret = token();
    const root = await tempTree({ lib: line(secret), db: line(secret), 'photo.png': line(secret) });
    const { report } = await scanJson(root);
    expect(occurrencePaths(report)).toEqual(['db', 'lib']);
    expect(report.scan.skipped.binary).toBe(1);
  });

  it('a file renamed away during the scan is reported, not thrown', async () => {
    const root = await tempTree({ 'a.txt': 'a', 'b.txt': 'b' });
    const report = emptyReport();
    const seen: string[] = [];
    for await (const file of worktreeFiles({ targets: [root], root, exclude: [], maxFileSize: 1 << 20 }, report)) {
      if (seen.length === 0) await rename(join(root, 'b.txt'), join(root, 'c.txt'));
      seen.push(file.path);
    }
    expect(seen).toEqual(['a.txt']);
    expect(report.errors).toEqual([{ path: 'b.txt', message: expect.stringMatching(/no such file/) }]);
    await rm(join(root, 'c.txt'));
  });
});
