/**
 * The working-tree source: files and directories to scan, as a stream of files with their bytes.
 * It knows nothing of rules (STYLE: the walker knows nothing of rules).
 *
 * Walking uses fast-glob with its file-system adapter wrapped, which lets us (a) prune directories that
 * a .gitignore, an exclude glob or the defaults (.git, node_modules) rule out before they are read, and
 * (b) report unreadable directories instead of silently skipping them. Nested .gitignore files are read
 * lazily, once per directory, so the walk order does not matter.
 *
 * Files are read with bounded concurrency and bounded bytes in flight, so memory stays flat however
 * large the tree; binary files (a NUL byte in the first 8 KiB) and files over the size limit are skipped
 * and counted; symbolic links are never followed (their targets inside the root are scanned as
 * themselves; targets outside it are not ours to read).
 */
import { existsSync, readdir, readFileSync, type Dirent } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import createIgnore, { type Ignore } from 'ignore';
import type { ScanError, SkippedCounts } from '../types.js';

export interface WorktreeOptions {
  /** Absolute files or folders to scan. */
  targets: string[];
  /** Absolute folder that reported paths are relative to. */
  root: string;
  /** Gitignore-syntax globs, matched against paths relative to `root`. */
  exclude: string[];
  maxFileSize: number;
}

export interface WorktreeFile {
  /** Relative to the scan root, `/` separators. */
  path: string;
  bytes: Buffer;
}

export interface WorktreeReport {
  skipped: SkippedCounts;
  errors: ScanError[];
}

const ALWAYS_SKIPPED_DIRS = ['.git', 'node_modules'];
const BINARY_SNIFF_BYTES = 8192;
const READ_CONCURRENCY = 16;
const MAX_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

/** Extensions whose files are binary by construction: skipped without being read. */
const BINARY_EXTENSIONS = new Set(
  ('png jpg jpeg gif bmp ico webp tif tiff psd mp3 mp4 m4a ogg wav flac avi mov mkv webm woff woff2 ttf otf eot ' +
    'zip gz tgz bz2 xz 7z rar zst jar war ear class dll exe so dylib o a lib pyc pyo wasm bin dat pdf doc docx xls ' +
    'xlsx ppt pptx sqlite db iso dmg deb rpm').split(' '),
);

export async function* worktreeFiles(options: WorktreeOptions, report: WorktreeReport): AsyncGenerator<WorktreeFile> {
  const ignores = new IgnoreTree(options.root, options.exclude);
  const queue = readQueue(options, report);
  for (const target of options.targets) {
    let isDirectory: boolean;
    try {
      const handle = await open(target, 'r');
      isDirectory = (await handle.stat()).isDirectory();
      await handle.close();
    } catch (error) {
      report.errors.push({ path: displayPath(options.root, target), message: describeFsError(error, 'cannot open') });
      continue;
    }
    if (!isDirectory) {
      // A file named on the command line is scanned even if ignored, as ripgrep does.
      yield* queue.push(target);
      continue;
    }
    for await (const path of walk(target, ignores, report, options.root)) yield* queue.push(path);
  }
  yield* queue.drain();
}

async function* walk(dir: string, ignores: IgnoreTree, report: WorktreeReport, root: string): AsyncGenerator<string> {
  const fastGlob = (await import('fast-glob')).default;
  const prunedReaddir = (path: string, options: unknown, callback: (error: Error | null, entries: Dirent[]) => void) => {
    if (path !== dir && ignores.isIgnored(path, true)) {
      callback(null, []);
      return;
    }
    readdir(path, options as { withFileTypes: true }, (error, entries) => {
      if (error) {
        report.errors.push({ path: displayPath(root, path), message: describeFsError(error, 'cannot read directory') });
        callback(null, []);
        return;
      }
      callback(null, entries);
    });
  };
  const stream = fastGlob.stream('**', {
    cwd: dir,
    absolute: true,
    dot: true,
    onlyFiles: false,
    objectMode: true,
    followSymbolicLinks: false,
    ignore: ALWAYS_SKIPPED_DIRS.map((name) => `**/${name}/**`),
    fs: { readdir: prunedReaddir as never },
  });
  for await (const entry of stream as AsyncIterable<{ path: string; dirent: Dirent }>) {
    const { path, dirent } = entry;
    if (dirent.isSymbolicLink()) {
      if (!ignores.isIgnored(path, false)) report.skipped.symlink++;
      continue;
    }
    if (!dirent.isFile()) continue; // directories, FIFOs, sockets, devices
    if (ignores.isIgnored(path, false)) continue;
    yield path;
  }
}

/**
 * Reads files with up to READ_CONCURRENCY reads and MAX_BYTES_IN_FLIGHT bytes in flight, yielding them in
 * the order they were pushed, so output does not depend on I/O timing.
 */
function readQueue(options: WorktreeOptions, report: WorktreeReport) {
  const pending: Promise<WorktreeFile | undefined>[] = [];
  let bytesInFlight = 0;

  const read = async (absPath: string): Promise<WorktreeFile | undefined> => {
    const path = displayPath(options.root, absPath);
    const extension = basename(absPath).split('.').pop()?.toLowerCase() ?? '';
    if (BINARY_EXTENSIONS.has(extension)) {
      report.skipped.binary++;
      return undefined;
    }
    let handle;
    try {
      handle = await open(absPath, 'r');
      const { size } = await handle.stat();
      if (size > options.maxFileSize) {
        report.skipped.tooLarge++;
        return undefined;
      }
      bytesInFlight += size;
      try {
        // Read to the end rather than trusting the size: the file may change while we read it.
        const bytes = await handle.readFile();
        if (isBinary(bytes)) {
          report.skipped.binary++;
          return undefined;
        }
        return { path, bytes };
      } finally {
        bytesInFlight -= size;
      }
    } catch (error) {
      report.skipped.unreadable++;
      report.errors.push({ path, message: describeFsError(error, 'cannot read file') });
      return undefined;
    } finally {
      await handle?.close().catch(() => undefined);
    }
  };

  return {
    async *push(absPath: string): AsyncGenerator<WorktreeFile> {
      pending.push(read(absPath));
      while (pending.length >= READ_CONCURRENCY || bytesInFlight > MAX_BYTES_IN_FLIGHT) {
        const file = await pending.shift()!;
        if (file) yield file;
      }
    },
    async *drain(): AsyncGenerator<WorktreeFile> {
      while (pending.length > 0) {
        const file = await pending.shift()!;
        if (file) yield file;
      }
    },
  };
}

/** A NUL byte in the first 8 KiB, unless the file starts with a UTF-16 byte-order mark. */
export function isBinary(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return false;
  const limit = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < limit; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * .gitignore files from the scan root down, plus exclude globs, with Git's precedence: a deeper
 * .gitignore overrides a shallower one, and the last matching line of a file wins (`!` re-includes).
 */
class IgnoreTree {
  private readonly byDir = new Map<string, Ignore | null>();
  private readonly exclude: Ignore;

  constructor(
    private readonly root: string,
    exclude: string[],
  ) {
    this.exclude = createIgnore().add(exclude);
  }

  isIgnored(absPath: string, isDirectory: boolean): boolean {
    const rel = relative(this.root, absPath);
    if (rel === '' || rel.startsWith('..')) return false;
    const relPosix = toPosix(rel) + (isDirectory ? '/' : '');
    if (this.exclude.ignores(relPosix)) return true;
    for (let dir = dirname(absPath); ; dir = dirname(dir)) {
      const rules = this.rulesFor(dir);
      if (rules) {
        const result = rules.test(toPosix(relative(dir, absPath)) + (isDirectory ? '/' : ''));
        if (result.ignored) return true;
        if (result.unignored) return false;
      }
      if (dir === this.root || dirname(dir) === dir || !dir.startsWith(this.root)) return false;
    }
  }

  private rulesFor(dir: string): Ignore | null {
    let rules = this.byDir.get(dir);
    if (rules === undefined) {
      const file = join(dir, '.gitignore');
      rules = null;
      if (existsSync(file)) {
        try {
          rules = createIgnore().add(readFileSync(file, 'utf8'));
        } catch {
          rules = null; // an unreadable .gitignore ignores nothing; the file itself is reported when read
        }
      }
      this.byDir.set(dir, rules);
    }
    return rules;
  }
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Relative to the root with `/` separators; absolute for paths outside it. */
export function displayPath(root: string, absPath: string): string {
  const rel = relative(root, absPath);
  if (rel === '') return basename(absPath);
  return rel.startsWith('..') ? toPosix(absPath) : toPosix(rel);
}

export function describeFsError(error: unknown, what: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOENT'
        ? 'no such file (deleted during the scan?)'
        : code === 'EISDIR'
          ? 'is a directory'
          : (code ?? String((error as Error).message ?? error));
  return `${what}: ${reason}; skipped`;
}
