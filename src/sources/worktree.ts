/**
 * The working-tree source: files and directories to scan, as a stream of files with their bytes.
 * It knows nothing of rules (STYLE: the walker knows nothing of rules).
 *
 * Walking uses fast-glob with its file-system adapter wrapped, which lets us (a) prune directories that
 * a .gitignore, an exclude glob or the defaults (.git, node_modules) rule out before they are read, and
 * (b) report unreadable directories instead of silently skipping them. Nested .gitignore files are read
 * lazily, once per directory, so the walk order does not matter.
 *
 * Files are read one at a time, so memory stays flat however large the tree; binary files (a NUL byte in the first 8 KiB) and files over the size limit are skipped
 * and counted. Symbolic links met while walking are never followed (their targets inside the root
 * are scanned as themselves; targets outside it are not ours to read); a path named on the command line
 * is taken as given, even through a link, as ripgrep does.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readdir, readFileSync, readSync, type Dirent, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
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

/** Extensions whose files are binary by construction: skipped without being read. */
const BINARY_EXTENSIONS = new Set(
  ('png jpg jpeg gif bmp ico webp tif tiff psd mp3 mp4 m4a ogg wav flac avi mov mkv webm woff woff2 ttf otf eot ' +
    'zip gz tgz bz2 xz 7z rar zst jar war ear class dll exe so dylib o a lib pyc pyo wasm bin dat pdf doc docx xls ' +
    'xlsx ppt pptx sqlite db iso dmg deb rpm').split(' '),
);

export async function* worktreeFiles(options: WorktreeOptions, report: WorktreeReport): AsyncGenerator<WorktreeFile> {
  for (const target of options.targets) {
    let info: Stats;
    try {
      // stat, not open: opening a FIFO blocks until something writes to it.
      info = await stat(target);
    } catch (error) {
      report.errors.push({ path: displayPath(options.root, target), message: describeFsError(error, 'cannot open') });
      continue;
    }
    if (info.isDirectory()) {
      const ignores = new IgnoreTree(target, options.root, options.exclude);
      for await (const path of walk(target, ignores, report, options.root)) {
        const file = readOne(path, options, report);
        if (file) yield file;
      }
    } else if (info.isFile()) {
      // A file named on the command line is scanned even if ignored, as ripgrep does.
      const file = readOne(target, options, report);
      if (file) yield file;
    } else {
      report.errors.push({ path: displayPath(options.root, target), message: 'not a regular file or folder (FIFO, socket or device); skipped' });
    }
  }
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
 * Reads one file, synchronously. The main thread is busy detecting anyway, and open/fstat/read/close
 * as direct syscalls cost a fraction of the same four calls through promises and libuv's thread pool
 * (the bench profile: ~400 ms of a 2 s scan went to that round trip). Exactly one file is in memory
 * here at a time.
 */
function readOne(absPath: string, options: WorktreeOptions, report: WorktreeReport): WorktreeFile | undefined {
  const path = displayPath(options.root, absPath);
  const extension = basename(absPath).split('.').pop()?.toLowerCase() ?? '';
  if (BINARY_EXTENSIONS.has(extension)) {
    report.skipped.binary++;
    return undefined;
  }
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a file swapped for a FIFO since the walk must not block the scan.
    fd = openSync(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = fstatSync(fd);
    if (!info.isFile()) {
      report.errors.push({ path, message: 'not a regular file (FIFO, socket or device); skipped' });
      return undefined;
    }
    if (info.size > options.maxFileSize) {
      report.skipped.tooLarge++;
      return undefined;
    }
    // Unpooled, so handing the bytes to a worker copies this file and not a shared 8 KiB slab.
    const buffer = Buffer.allocUnsafeSlow(info.size);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break; // truncated while we read: scan what is there
      length += read;
    }
    const bytes = buffer.subarray(0, length);
    if (isBinary(bytes)) {
      report.skipped.binary++;
      return undefined;
    }
    return { path, bytes };
  } catch (error) {
    report.skipped.unreadable++;
    report.errors.push({ path, message: describeFsError(error, 'cannot read file') });
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A NUL byte in the first 8 KiB, unless the file starts with a UTF-16 byte-order mark. */
export function isBinary(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return false;
  return bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0) !== -1;
}

/**
 * .gitignore files from the scan root down, plus exclude globs, with Git's precedence: a deeper
 * .gitignore overrides a shallower one, and the last matching line of a file wins (`!` re-includes).
 */
class IgnoreTree {
  private readonly byDir = new Map<string, Ignore | null>();
  private readonly exclude: Ignore;

  /**
   * `walkRoot` is the folder being walked: .gitignore files are read from it downwards. Exclude globs
   * match the reported path (relative to `reportRoot`), or the path relative to `walkRoot` when the
   * walked folder lies outside the report root.
   */
  constructor(
    private readonly walkRoot: string,
    private readonly reportRoot: string,
    exclude: string[],
  ) {
    this.exclude = createIgnore().add(exclude);
  }

  isIgnored(absPath: string, isDirectory: boolean): boolean {
    const suffix = isDirectory ? '/' : '';
    const inWalk = relativeInside(this.walkRoot, absPath);
    if (inWalk === undefined || inWalk === '') return false;
    const forExclude = relativeInside(this.reportRoot, absPath) ?? inWalk;
    if (this.exclude.ignores(toPosix(forExclude) + suffix)) return true;
    for (let dir = dirname(absPath); ; dir = dirname(dir)) {
      const rules = this.rulesFor(dir);
      if (rules) {
        const result = rules.test(toPosix(relativeInside(dir, absPath)!) + suffix);
        if (result.ignored) return true;
        if (result.unignored) return false;
      }
      if (dir === this.walkRoot || dirname(dir) === dir) return false;
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

/** `path` relative to `root` when it is inside it ('' for the root itself), otherwise undefined. */
function relativeInside(root: string, path: string): string | undefined {
  // The walk hands us absolute paths under the root: slicing is exact there and far cheaper than
  // path.relative, which the bench profile showed among the top costs of a scan.
  if (path.length > root.length && path.startsWith(root) && path[root.length] === sep) return path.slice(root.length + 1);
  if (path === root) return '';
  const rel = relative(root, path);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Relative to the root with `/` separators; absolute for paths outside it. */
export function displayPath(root: string, absPath: string): string {
  const rel = relativeInside(root, absPath);
  if (rel === '') return basename(absPath);
  return toPosix(rel ?? absPath);
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
