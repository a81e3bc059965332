/**
 * The working-tree source: files and directories to scan, as a stream of files with their bytes.
 * It knows nothing of rules (STYLE: the walker knows nothing of rules).
 *
 * The walk (our own, over readdir) prunes directories that a .gitignore, an exclude glob or the defaults
 * (.git, node_modules) rule out before they are read, and reports what it cannot read or will not open
 * (unreadable folders, FIFOs, sockets, devices) in `errors` instead of silently skipping it. Nested
 * .gitignore files are read lazily, once per directory, so the walk order does not matter.
 *
 * Files are read one at a time, so memory stays flat however large the tree; binary files (a NUL byte in the first 8 KiB) and files over the size limit are skipped
 * and counted. Symbolic links met while walking are never followed (their targets inside the root
 * are scanned as themselves; targets outside it are not ours to read); a path named on the command line
 * is taken as given, even through a link, as ripgrep does.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, type Dirent, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import createIgnore, { type Ignore } from 'ignore';
import type { ScanError, SkippedCounts } from '../types.js';
import { interruptCheck } from './interrupt.js';
import { hasUtf16Bom } from '../util/bom.js';
import { monotonicMs } from '../util/clock.js';

export interface WorktreeOptions {
  /** Absolute files or folders to scan. */
  targets: string[];
  /** Absolute folder that reported paths are relative to. */
  root: string;
  /** Gitignore-syntax globs, matched against paths relative to `root`. */
  exclude: string[];
  maxFileSize: number;
  /**
   * Asked, by reported path, about a file about to be skipped as binary: true yields it anyway, flagged
   * `binary`, still counted as skipped (path rules judge key stores by name; nothing reads their text).
   */
  keepBinary?: (path: string) => boolean;
  /**
   * Asked, by reported path, before a file is read: false leaves it unread and uncounted (`secretscan ci`
   * looks only at files that could be CI configuration, and need not read the rest of the tree).
   */
  onlyPaths?: (path: string) => boolean;
  /**
   * Asked, by reported path and size, for a buffer to read the file into instead of a new one. Its bytes
   * are the caller's to use until it asks for the next file: one buffer reused for the files the main
   * thread detects itself saves the garbage of one per file, freed only at its next GC.
   */
  lend?: (path: string, size: number) => Buffer | undefined;
}

export interface WorktreeFile {
  /** Relative to the scan root, `/` separators. */
  path: string;
  bytes: Buffer;
  /** Binary, yielded only because keepBinary asked for it: its bytes are not text. */
  binary?: true;
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

/** How long the walk may keep the thread before it lets the event loop run (a signal handler, a worker's reply). */
const YIELD_EVERY_MS = 5;

export async function* worktreeFiles(options: WorktreeOptions, report: WorktreeReport): AsyncGenerator<WorktreeFile> {
  const checkInterrupted = interruptCheck();
  // Reads are synchronous and a folder of many small files is listed once, so without this a scan
  // could run to its end without the event loop turning once: a SIGINT would wait for the whole scan.
  let lastYield = monotonicMs();
  const pause = async () => {
    if (monotonicMs() - lastYield >= YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = monotonicMs();
    }
    checkInterrupted();
  };
  for (const target of options.targets) {
    checkInterrupted();
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
      for (const found of walk(target, ignores, report, options.root)) {
        await pause();
        const file = readOne(found.abs, found.fsPath, options, report);
        if (file) yield file;
      }
    } else if (info.isFile()) {
      // A file named on the command line is scanned even if ignored, as ripgrep does.
      const file = readOne(target, target, options, report);
      if (file) yield file;
    } else {
      report.errors.push({ path: displayPath(options.root, target), message: `not a regular file or folder (${specialKind(info)}); skipped` });
    }
  }
}

/** A file the walk found: its absolute path as text, and the path to open (bytes when a name is not UTF-8). */
interface FoundFile {
  abs: string;
  fsPath: string | Buffer;
}

/** A folder entry: its name as reported, the name to open, and its type. */
interface Entry {
  name: string;
  fsName: string | Buffer;
  dirent: Dirent | Dirent<Buffer>;
}

/**
 * Depth-first over `dir`, each folder's entries in name order (so errors come in the same order on every
 * run). Our own walker, not a glob library's: fast-glob matched names against a pattern and silently
 * dropped names holding a newline, and gave names that are not UTF-8 back mangled, so neither could be
 * read. Here every name is kept: a name that is not UTF-8 is opened by its bytes and reported with
 * `\xNN` escapes for the bytes that are not (as a shell's $'…' would write it).
 */
function* walk(dir: string, ignores: IgnoreTree, report: WorktreeReport, root: string): Generator<FoundFile> {
  const pending: FoundFile[] = [{ abs: dir, fsPath: dir }];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    if (folder.abs !== dir && ignores.isIgnored(folder.abs, true)) continue;
    let entries: Entry[];
    try {
      entries = listFolder(folder.fsPath);
    } catch (error) {
      report.errors.push({ path: displayPath(root, folder.abs), message: describeFsError(error, 'cannot read directory') });
      continue;
    }
    if (typeof folder.fsPath !== 'string') ignores.setFsPath(folder.abs, folder.fsPath);
    if (!entries.some((entry) => entry.name === '.gitignore')) ignores.noteNoIgnoreFile(folder.abs);
    const subfolders: FoundFile[] = [];
    for (const { name, fsName, dirent } of entries) {
      const abs = join(folder.abs, name);
      const fsPath = typeof folder.fsPath === 'string' && typeof fsName === 'string' ? abs : joinBytes(folder.fsPath, fsName);
      if (dirent.isDirectory()) {
        if (!ALWAYS_SKIPPED_DIRS.includes(name)) subfolders.push({ abs, fsPath });
      } else if (dirent.isSymbolicLink()) {
        if (!ignores.isIgnored(abs, false)) report.skipped.symlink++;
      } else if (dirent.isFile()) {
        if (!ignores.isIgnored(abs, false)) yield { abs, fsPath };
      } else if (!ignores.isIgnored(abs, false)) {
        // Never opened: a FIFO would block the read until something writes to it.
        report.errors.push({ path: displayPath(root, abs), message: `not a regular file (${specialKind(dirent)}); skipped` });
      }
    }
    for (let i = subfolders.length - 1; i >= 0; i--) pending.push(subfolders[i]!);
  }
}

/**
 * A folder's entries in name order; read again as bytes when some name is not UTF-8. Synchronous, like
 * the reads: through libuv's thread pool each listing left the main thread idle for its round trip
 * (~0.1 ms a folder, ~100 ms of a bench scan whose main thread is its busiest).
 */
function listFolder(fsPath: string | Buffer): Entry[] {
  const named = typeof fsPath === 'string' ? readdirSync(fsPath, { withFileTypes: true }) : [];
  let entries: Entry[];
  if (typeof fsPath === 'string' && !named.some((dirent) => dirent.name.includes('\uFFFD'))) {
    entries = named.map((dirent) => ({ name: dirent.name, fsName: dirent.name, dirent }));
  } else {
    const raw = readdirSync(fsPath, { withFileTypes: true, encoding: 'buffer' });
    entries = raw.map((dirent) => (isUtf8(dirent.name) ? { name: dirent.name.toString('utf8'), fsName: dirent.name, dirent } : { name: escapeName(dirent.name), fsName: dirent.name, dirent }));
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A file name that is not UTF-8, readable and lossless: valid UTF-8 sequences kept, other bytes as \xNN. */
export function escapeName(name: Buffer): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < name.length; ) {
    const length = utf8SequenceLength(name, i);
    if (length > 0) {
      i += length;
      continue;
    }
    out += name.toString('utf8', start, i) + `\\x${name[i]!.toString(16).padStart(2, '0')}`;
    start = ++i;
  }
  return out + name.toString('utf8', start);
}

/** The length of the valid UTF-8 sequence starting at `i`, or 0. */
function utf8SequenceLength(bytes: Buffer, i: number): number {
  const lead = bytes[i]!;
  const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (length === 0 || i + length > bytes.length) return 0;
  return isUtf8(bytes.subarray(i, i + length)) ? length : 0;
}

function joinBytes(folder: string | Buffer, name: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(folder), Buffer.from(sep), Buffer.from(name)]);
}

function specialKind(dirent: Dirent | Dirent<Buffer> | Stats): string {
  if (dirent.isDirectory()) return 'directory';
  if (dirent.isFIFO()) return 'FIFO';
  if (dirent.isSocket()) return 'socket';
  if (dirent.isCharacterDevice()) return 'character device';
  if (dirent.isBlockDevice()) return 'block device';
  return 'unknown type';
}

/**
 * Reads one file, synchronously. The main thread is busy detecting anyway, and open/fstat/read/close
 * as direct syscalls cost a fraction of the same four calls through promises and libuv's thread pool
 * (the bench profile: ~400 ms of a 2 s scan went to that round trip). Exactly one file is in memory
 * here at a time.
 */
function readOne(absPath: string, fsPath: string | Buffer, options: WorktreeOptions, report: WorktreeReport): WorktreeFile | undefined {
  const path = displayPath(options.root, absPath);
  if (options.onlyPaths && !options.onlyPaths(path)) return undefined;
  // Only after a dot: a file named `lib`, `db` or `a` has no extension and is text until sniffed otherwise.
  const name = basename(absPath);
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const binaryByName = BINARY_EXTENSIONS.has(extension);
  const keepBinary = binaryByName && (options.keepBinary?.(path) ?? false);
  if (binaryByName && !keepBinary) {
    report.skipped.binary++;
    return undefined;
  }
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a file swapped for a FIFO since the walk must not block the scan.
    fd = openSync(fsPath, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = fstatSync(fd);
    if (!info.isFile()) {
      report.errors.push({ path, message: `not a regular file (${specialKind(info)}); skipped` });
      return undefined;
    }
    if (info.size > options.maxFileSize) {
      report.skipped.tooLarge++;
      return undefined;
    }
    // Unpooled, so handing the bytes to a worker moves this file and not a shared 8 KiB slab; or lent.
    const buffer = options.lend?.(path, info.size)?.subarray(0, info.size) ?? Buffer.allocUnsafeSlow(info.size);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break; // truncated while we read: scan what is there
      length += read;
    }
    const bytes = buffer.subarray(0, length);
    if (binaryByName || isBinary(bytes)) {
      report.skipped.binary++;
      return keepBinary || options.keepBinary?.(path) ? { path, bytes, binary: true } : undefined;
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
  if (hasUtf16Bom(bytes)) return false;
  return bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0) !== -1;
}

/**
 * .gitignore files from the scan root down, plus exclude globs, with Git's precedence: a deeper
 * .gitignore overrides a shallower one, and the last matching line of a file wins (`!` re-includes).
 */
class IgnoreTree {
  private readonly byDir = new Map<string, Ignore | null>();
  /** Each .gitignore's text, to rebuild its rules from. */
  private readonly texts = new Map<string, string>();
  private readonly fsPaths = new Map<string, Buffer>();
  private exclude: Ignore;
  private tests = 0;
  private lastChain: { dir: string; chain: { dir: string; rules: Ignore }[] } | undefined;

  /**
   * `walkRoot` is the folder being walked: .gitignore files are read from it downwards. Exclude globs
   * match the reported path (relative to `reportRoot`), or the path relative to `walkRoot` when the
   * walked folder lies outside the report root.
   */
  constructor(
    private readonly walkRoot: string,
    private readonly reportRoot: string,
    private readonly excludeGlobs: string[],
  ) {
    this.exclude = createIgnore().add(excludeGlobs);
  }

  isIgnored(absPath: string, isDirectory: boolean): boolean {
    if (++this.tests >= IGNORE_CACHE_LIMIT) this.forgetCachedAnswers();
    const suffix = isDirectory ? '/' : '';
    const inWalk = relativeInside(this.walkRoot, absPath);
    if (inWalk === undefined || inWalk === '') return false;
    if (this.excludeGlobs.length > 0) {
      const forExclude = relativeInside(this.reportRoot, absPath) ?? inWalk;
      if (this.exclude.ignores(toPosix(forExclude) + suffix)) return true;
    }
    for (const { dir, rules } of this.chainFor(dirname(absPath))) {
      const result = rules.test(toPosix(relativeInside(dir, absPath)!) + suffix);
      if (result.ignored) return true;
      if (result.unignored) return false;
    }
    return false;
  }

  /**
   * The folders from `dir` up to the walk root that have a .gitignore, nearest first. The walk asks about
   * one folder's entries together, so the last answer is kept.
   */
  private chainFor(dir: string): { dir: string; rules: Ignore }[] {
    if (this.lastChain?.dir === dir) return this.lastChain.chain;
    const chain: { dir: string; rules: Ignore }[] = [];
    for (let at = dir; ; at = dirname(at)) {
      const rules = this.rulesFor(at);
      if (rules) chain.push({ dir: at, rules });
      if (at === this.walkRoot || dirname(at) === at) break;
    }
    this.lastChain = { dir, chain };
    return chain;
  }

  /**
   * A folder whose listing has no .gitignore: nothing to open. Most folders have none, and a failed open
   * costs an exception (~3% of a bench scan's main thread went to them).
   */
  noteNoIgnoreFile(dir: string): void {
    if (!this.byDir.has(dir)) this.byDir.set(dir, null);
  }

  /** A folder whose name is not UTF-8: where its .gitignore really is. */
  setFsPath(dir: string, fsPath: Buffer): void {
    this.fsPaths.set(dir, fsPath);
  }

  private rulesFor(dir: string): Ignore | null {
    let rules = this.byDir.get(dir);
    if (rules === undefined) {
      const fsDir = this.fsPaths.get(dir);
      const text = readIgnoreFile(fsDir ? Buffer.concat([fsDir, Buffer.from(`${sep}.gitignore`)]) : join(dir, '.gitignore'));
      rules = text === undefined ? null : createIgnore().add(text);
      if (text !== undefined) this.texts.set(dir, text);
      this.byDir.set(dir, rules);
    }
    return rules;
  }

  /**
   * `ignore` keeps the answer for every path it was asked about, for the life of the instance: on the
   * 209,000-file bench:scale tree that was ~100 MiB of peak RSS. Rebuilding the instances from their
   * text every IGNORE_CACHE_LIMIT questions keeps memory flat; the walk asks about a folder's entries
   * together, so little that is dropped is asked again.
   */
  private forgetCachedAnswers(): void {
    this.tests = 0;
    this.exclude = createIgnore().add(this.excludeGlobs);
    for (const [dir, text] of this.texts) this.byDir.set(dir, createIgnore().add(text));
    this.lastChain = undefined;
  }
}

const IGNORE_CACHE_LIMIT = 20_000;

const MAX_IGNORE_FILE_BYTES = 16 * 1024 * 1024;

/**
 * A .gitignore's text, or undefined when there is none to read. Only a regular file counts, as for git
 * (which does not follow a symlinked .gitignore either): a .gitignore that is a FIFO blocked the walk
 * for good, and one linked to /dev/zero read until the process ran out of memory. An unreadable one
 * ignores nothing; the walk reports the entry itself (a special file, a symbolic link, or unreadable).
 */
function readIgnoreFile(path: string | Buffer): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > MAX_IGNORE_FILE_BYTES) return undefined;
    const buffer = Buffer.alloc(info.size);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
    }
    return buffer.toString('utf8', 0, length);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
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
          : code === 'ELOOP'
            ? 'too many levels of symbolic links (a link loop?)'
            : code === 'ENAMETOOLONG'
              ? 'path too long for the system (ENAMETOOLONG)'
              : (code ?? String((error as Error).message ?? error));
  return `${what}: ${reason}; skipped`;
}
