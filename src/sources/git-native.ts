/**
 * The native Git engine: streams the `git` binary's output and never holds more than one file's diff.
 *
 * History is one `git log -p -U0 --cc` process parsed as it streams (PatchParser): a commit header line,
 * then per file a header and its hunks. Only added lines are kept, as runs of consecutive lines with the
 * line number of the first one in the new version. Merges come as combined diffs, whose lines marked
 * added against every parent are the ones the merge itself introduced. Binary and over-size blobs are
 * never diffed (core.bigFileThreshold makes git treat big blobs as binary) and are counted after the
 * stream by one `git cat-file --batch-check`.
 *
 * Every command pins the settings a user's config could change under us (quotePath, diff prefixes,
 * external diff and textconv, relative paths, signature display, rename detection, inter-hunk context),
 * and paths are unquoted from git's C-style quoting, so names with spaces, quotes, newlines or non-ASCII
 * bytes come through exactly.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { isUtf8 } from 'node:buffer';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import type { ChunkOrigin } from '../types.js';
import {
  EMPTY_NOTICE,
  GitError,
  SHALLOW_NOTICE,
  SecretSearcher,
  describeGitFailure,
  gitEnvironment,
  gitOutput,
  type GitReport,
  type GitRepository,
  type HistoryChunk,
  type HistoryOptions,
  type StagedFile,
  type StagedOptions,
} from './git.js';
import { ScanInterrupted, interruptCheck, trackChild } from './interrupt.js';

/** There is no `git` executable to run: the caller falls back to isomorphic-git. */
export class GitMissingError extends Error {}

const SUBMODULE_MODE = '160000';
/** `-U` for --staged: more lines than any file has, so each diff holds the whole staged file. */
const WHOLE_FILE_CONTEXT = 2147483647;
const SYMLINK_MODE = '120000';

/** `-c` settings that make git's output the format this parser reads, whatever the user's config says. */
function pinnedConfig(maxFileSize?: number): string[] {
  return [
    '-c', 'core.quotePath=false',
    ...(maxFileSize !== undefined ? ['-c', `core.bigFileThreshold=${maxFileSize}`] : []),
    '-c', 'diff.noprefix=false',
    '-c', 'diff.mnemonicPrefix=false',
    '-c', 'diff.relative=false',
    '-c', 'log.showSignature=false',
    '-c', 'log.showRoot=true',
  ];
}

const DIFF_FLAGS = [
  '-U0',
  '--inter-hunk-context=0',
  '-M',
  '--full-index',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

/**
 * Opens the repository holding `path`. The hook path cannot afford a spawn for this, so the common case
 * is answered from the file system, as git itself does it: the nearest folder upwards holding `.git`
 * (a folder, or a file pointing at one, for worktrees and submodules), and a `shallow` file in the common
 * git dir. A bare repository, or GIT_DIR in the environment, is asked of `git rev-parse` instead.
 */
export async function openNative(path: string): Promise<GitRepository> {
  if (!gitOnPath()) throw new GitMissingError('git not found');
  if (!existsSync(path)) throw new GitError(`${path}: no such folder; give the path of a Git repository`);
  if (process.env.GIT_DIR === undefined) {
    const root = workTreeRoot(path);
    if (root) return new NativeRepository(root, existsSync(join(commonGitDir(join(root, '.git')), 'shallow')));
  }
  const result = await gitOutput(path, ['rev-parse', '--is-shallow-repository', '--absolute-git-dir', '--show-toplevel'], { allowFailure: true });
  // --show-toplevel comes last: it fails (after printing the others) in a bare repository.
  const lines = result.stdout.toString('utf8').split('\n');
  if (lines.length < 3 || (lines[0] !== 'true' && lines[0] !== 'false')) {
    throw new GitError(`${path}: not a Git repository (${result.stderr.trim().split('\n')[0]?.replace(/^fatal: /, '') || 'git rev-parse failed'}); give the path of a repository or run inside one`);
  }
  const gitDir = lines[1]!;
  return new NativeRepository(lines[2] || (gitDir.endsWith('/.git') ? dirname(gitDir) : gitDir), lines[0] === 'true');
}

/** Whether an executable `git` is on PATH (checked on disk: cheaper than a failed spawn). */
function gitOnPath(): boolean {
  const names = process.platform === 'win32' ? ['git.exe', 'git.cmd', 'git'] : ['git'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

function workTreeRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The git dir behind `.git` (a `gitdir:` file for worktrees and submodules), then its common dir. */
function commonGitDir(dotGit: string): string {
  let gitDir = dotGit;
  try {
    if (statSync(dotGit).isFile()) {
      const target = /^gitdir: (.*)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      if (target) gitDir = isAbsolute(target) ? target : join(dirname(dotGit), target);
    }
    const common = join(gitDir, 'commondir');
    if (existsSync(common)) {
      const target = readFileSync(common, 'utf8').trim();
      return isAbsolute(target) ? target : join(gitDir, target);
    }
  } catch {
    // unreadable: treat as a plain git dir
  }
  return gitDir;
}

class NativeRepository implements GitRepository {
  readonly engine = 'git' as const;

  constructor(
    readonly root: string,
    readonly shallow: boolean,
  ) {}

  async *history(options: HistoryOptions, report: GitReport): AsyncGenerator<HistoryChunk> {
    if (this.shallow) report.notices.push(SHALLOW_NOTICE);
    const revisions = options.range ?? options.branch;
    const args = [
      ...pinnedConfig(options.maxFileSize),
      'log',
      '-p',
      '--cc',
      ...DIFF_FLAGS,
      '--no-relative',
      '--encoding=UTF-8',
      // \0 cannot start a line of a patch (every content line starts with + - space or \), so a line
      // starting with it is a commit header whatever the files hold.
      '--format=%x00%H%x00%P%x00%aI%x00%an%x00%ae',
      ...(options.since ? [`--since=${options.since}`] : []),
      ...(options.maxCommits !== undefined ? [`--max-count=${options.maxCommits}`] : []),
      ...(revisions ? ['--end-of-options', revisions] : ['--all']),
      '--',
    ];
    const parser = new PatchParser(options, report);
    const binaries = new Set<string>();
    parser.onBinary = (blob) => binaries.add(blob);
    const child = spawnGit(this.root, args);
    const checkInterrupted = interruptCheck();
    try {
      for await (const batch of lineBatches(child)) {
        checkInterrupted();
        for (const line of batch) {
          const chunks = parser.line(line);
          if (chunks) yield* chunks;
        }
      }
      const last = parser.end();
      if (last) yield* last;
      await exited(child, args, revisions);
    } finally {
      if (child.exitCode === null) child.kill();
    }
    if (report.commits === 0 && !revisions && !options.since && !(await this.hasCommits())) report.notices.push(EMPTY_NOTICE);
    await this.countSkippedBinaries(binaries, options.maxFileSize, report);
  }

  /**
   * One `git diff --cached` with unlimited context: every changed file's staged content comes whole (its
   * context and added lines), with the added lines marked, so no `cat-file` round trip is needed. A
   * pre-commit hook pays for each process it starts.
   *
   * The process starts, and its output is read and parsed, as soon as this is called: the caller is still
   * loading its configuration meanwhile. (Reading must start at once anyway: Node discards the output of
   * a child that exits before anyone listens.) `options` is applied only as files are handed over, once
   * the caller iterates; git is not given the size limit for the same reason, and enforces its own
   * (core.bigFileThreshold, 512 MiB) on what it diffs.
   */
  staged(options: StagedOptions, report: GitReport): AsyncIterable<StagedFile> {
    const args = [...pinnedConfig(), 'diff', '--cached', ...DIFF_FLAGS, `--unified=${WHOLE_FILE_CONTEXT}`, '--no-relative', '--'];
    const child = spawnGit(this.root, args);
    const parsed = (async () => {
      const parser = new PatchParser({ maxFileSize: Number.MAX_SAFE_INTEGER, isExcluded: () => false, wholeFiles: true }, report);
      const binaries = new Set<string>();
      parser.onBinary = (blob) => binaries.add(blob);
      const files: StagedFile[] = [];
      parser.onFile = (file) => files.push(file);
      try {
        for await (const batch of lineBatches(child)) for (const line of batch) parser.line(line);
        parser.end();
        await exited(child, args);
      } finally {
        if (child.exitCode === null) child.kill();
      }
      return { files, binaries };
    })();
    parsed.catch(() => undefined); // surfaces when iterated
    const repository = this;
    return (async function* () {
      const { files, binaries } = await parsed;
      await repository.countSkippedBinaries(binaries, options.maxFileSize, report);
      for (const file of files) {
        if (options.isExcluded(file.origin.path)) continue;
        if (file.bytes.length > options.maxFileSize) {
          report.skipped.tooLarge++;
          continue;
        }
        report.files++;
        report.blobs++;
        report.bytes += file.bytes.length;
        yield file;
      }
    })();
  }

  async secretsAtHead(secrets: readonly string[], maxFileSize: number): Promise<Set<string>> {
    if (secrets.length === 0) return new Set();
    const tree = await gitOutput(this.root, ['ls-tree', '-r', '-z', '-l', '--full-tree', 'HEAD'], { allowFailure: true });
    if (tree.code !== 0) return new Set(); // no HEAD yet
    const blobs = new Set<string>();
    for (const entry of tree.stdout.toString('utf8').split('\0')) {
      // <mode> SP <type> SP <object> SP+ <size> TAB <path>
      const match = /^(\d+) blob ([0-9a-f]+) +(\d+)\t/.exec(entry);
      if (!match || match[1] === SYMLINK_MODE || Number(match[3]) > maxFileSize) continue;
      blobs.add(match[2]!);
    }
    const searcher = await SecretSearcher.create(secrets);
    await this.streamBlobs([...blobs], (_, bytes) => {
      searcher.search(bytes);
      return !searcher.done;
    });
    return searcher.found();
  }

  async readBlobs(ids: readonly string[], each: (id: string, bytes: Buffer) => void): Promise<void> {
    await this.streamBlobs([...ids], (id, bytes) => {
      each(id, bytes);
      return true;
    });
    // streamBlobs leaves exit codes alone (it may stop early); a batch read to the end has none to report.
  }

  async blobsAtHead(wanted: (path: string) => boolean): Promise<Map<string, string>> {
    const tree = await gitOutput(this.root, [...pinnedConfig(), 'ls-tree', '-r', '-z', '--full-tree', 'HEAD'], { allowFailure: true });
    const blobs = new Map<string, string>();
    if (tree.code !== 0) return blobs; // no HEAD yet
    for (const entry of tree.stdout.toString('utf8').split('\0')) {
      // <mode> SP <type> SP <object> TAB <path>; -z leaves paths unquoted
      const match = /^(\d+) blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
      if (match && match[1] !== SYMLINK_MODE && wanted(match[3]!)) blobs.set(match[3]!, match[2]!);
    }
    return blobs;
  }

  private async hasCommits(): Promise<boolean> {
    const result = await gitOutput(this.root, ['rev-list', '-n', '1', '--all'], { allowFailure: true });
    return result.stdout.length > 0;
  }

  /** Binary-looking blobs git did not diff: over the size limit, or binary. Counted once per blob. */
  async countSkippedBinaries(blobs: Set<string>, maxFileSize: number, report: GitReport): Promise<void> {
    if (blobs.size === 0) return;
    const sizes = await this.blobSizes([...blobs]);
    for (const blob of blobs) {
      if ((sizes.get(blob) ?? 0) > maxFileSize) report.skipped.tooLarge++;
      else report.skipped.binary++;
    }
  }

  private async blobSizes(ids: string[]): Promise<Map<string, number>> {
    const child = spawnGit(this.root, ['cat-file', '--batch-check=%(objectname) %(objectsize)'], true);
    const sizes = new Map<string, number>();
    const writing = writeIds(child, ids);
    for await (const batch of lineBatches(child)) {
      for (const line of batch) {
        const [id, size] = line.toString('latin1').split(' ');
        if (id && size) sizes.set(id, Number(size));
      }
    }
    await writing;
    await exited(child, ['cat-file']);
    return sizes;
  }

  /**
   * Streams blobs through one `git cat-file --batch`; `each` returns false to stop early. Each blob is
   * handed over as a view into the read buffer: copy it to keep it.
   */
  private async streamBlobs(ids: string[], each: (id: string, bytes: Buffer) => boolean): Promise<void> {
    if (ids.length === 0) return;
    const child = spawnGit(this.root, ['cat-file', '--batch'], true);
    const writing = writeIds(child, ids);
    // Incoming data is kept as a list and joined only once the current blob is complete, so a large
    // blob arriving in many pieces is copied once, not once per piece.
    let parts: Buffer[] = [];
    let buffered = 0;
    let needed = 0;
    let stopped = false;
    try {
      for await (const data of child.stdout as AsyncIterable<Buffer>) {
        parts.push(data);
        buffered += data.length;
        if (buffered < needed) continue;
        const pending = parts.length === 1 ? parts[0]! : Buffer.concat(parts, buffered);
        let offset = 0;
        needed = 0;
        for (;;) {
          const newline = pending.indexOf(10, offset);
          if (newline === -1) break;
          const header = pending.toString('latin1', offset, newline).split(' ');
          if (header[1] === 'missing') {
            offset = newline + 1;
            continue;
          }
          const end = newline + 1 + Number(header[2]);
          if (pending.length < end + 1) {
            needed = end + 1 - offset;
            break;
          }
          if (!each(header[0]!, pending.subarray(newline + 1, end))) {
            stopped = true;
            break;
          }
          offset = end + 1;
        }
        if (stopped) break;
        parts = offset < pending.length ? [pending.subarray(offset)] : [];
        buffered = pending.length - offset;
      }
    } finally {
      if (child.exitCode === null) {
        child.stdin.destroy();
        child.kill();
      }
    }
    await writing.catch(() => undefined);
  }
}

// ─── Processes ───────────────────────────────────────────────────────────────────────────────────

function spawnGit(cwd: string, args: string[], withStdin = false): ChildProcessWithoutNullStreams {
  const child = spawn('git', args, { cwd, stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: gitEnvironment() }) as ChildProcessWithoutNullStreams;
  trackChild(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });
  (child as unknown as { stderrText: () => string }).stderrText = () => stderr;
  // Errors surface through exited(); without listeners an ENOENT, or an EPIPE when we stop reading
  // early and the child goes away, would crash the process.
  child.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  return child;
}

async function exited(child: ChildProcessWithoutNullStreams, args: string[], revisions?: string): Promise<void> {
  const code = child.exitCode ?? (await new Promise<number>((resolve) => child.once('close', (exit) => resolve(exit ?? 1))));
  if (code === 0) return;
  // Killed by SIGINT or SIGTERM: ours on an interrupted scan, or the terminal's Ctrl-C to the whole group.
  if (child.signalCode === 'SIGINT' || child.signalCode === 'SIGTERM') throw new ScanInterrupted(child.signalCode);
  const stderr = (child as unknown as { stderrText: () => string }).stderrText();
  if (revisions && /bad revision|unknown revision|ambiguous argument|invalid|bad object/i.test(stderr)) {
    throw new GitError(`${revisions}: not a revision or range in this repository (${describeGitFailure(args, stderr).replace(/^git \S+ failed: /, '')}); give branches, tags or commits, as in main..feature`);
  }
  throw new GitError(describeGitFailure(args, stderr));
}

async function writeIds(child: ChildProcessWithoutNullStreams, ids: string[]): Promise<void> {
  try {
    for (let i = 0; i < ids.length; i += 512) {
      const text = `${ids.slice(i, i + 512).join('\n')}\n`;
      if (!child.stdin.write(text)) await new Promise((resolve) => child.stdin.once('drain', resolve));
    }
    child.stdin.end();
  } catch {
    // the reader stopped early and closed the pipe
  }
}

/**
 * The child's stdout as batches of lines (without the newline), views into the read buffers where
 * possible. Batches, not single lines: one await per line would cost a promise per line of history.
 */
async function* lineBatches(child: ChildProcessWithoutNullStreams): AsyncGenerator<Buffer[]> {
  let partial: Buffer[] = [];
  for await (const data of child.stdout as AsyncIterable<Buffer>) {
    const batch: Buffer[] = [];
    let start = 0;
    for (;;) {
      const newline = data.indexOf(10, start);
      if (newline === -1) break;
      if (partial.length > 0) {
        partial.push(data.subarray(start, newline));
        batch.push(Buffer.concat(partial));
        partial = [];
      } else {
        batch.push(data.subarray(start, newline));
      }
      start = newline + 1;
    }
    if (start < data.length) partial.push(data.subarray(start));
    if (batch.length > 0) yield batch;
  }
  if (partial.length > 0) yield [Buffer.concat(partial)];
}

// ─── The patch parser ────────────────────────────────────────────────────────────────────────────

const PLUS = 0x2b;
const MINUS = 0x2d;
const SPACE = 0x20;
const BACKSLASH = 0x5c;

interface ParserOptions {
  maxFileSize: number;
  isExcluded: (path: string) => boolean;
  /**
   * --staged: the diff has unlimited context; rebuild each file's new content (context and added lines)
   * and hand it with its added ranges to onFile, instead of making chunks of the added runs.
   */
  wholeFiles?: boolean;
}

interface FileDiff {
  headerPath?: string;
  newPath?: string;
  deleted: boolean;
  newMode?: string;
  newBlob?: string;
  binary: boolean;
  /** Parents of a combined diff (merges); 0 for an ordinary diff. */
  parents: number;
  /** Runs of added lines: first line number and the lines' bytes. */
  runs: { start: number; end: number; lines: Buffer[]; bytes: number }[];
  /** wholeFiles: every line of the new version, in order, and their total size with newlines. */
  content: Buffer[];
  contentBytes: number;
  /** The new version's last line has no newline ("\ No newline at end of file" after it). */
  noFinalNewline: boolean;
}

/**
 * A line-at-a-time parser of `git log -p -U0 --cc --full-index` (or `git diff --cached` with the same
 * flags). line() returns the chunks of the file diff that just ended, if any.
 */
export class PatchParser {
  onBinary?: (blob: string) => void;
  onFile?: (file: StagedFile) => void;

  private commit: Omit<ChunkOrigin, 'path'> = { source: 'staged' };
  private file: FileDiff | undefined;
  /** Ordinary hunk: lines of each side still to come. */
  private oldLeft = 0;
  private newLeft = 0;
  /** Combined hunk: prefix width (parents), or 0 outside one. */
  private combinedWidth = 0;
  private newLine = 0;
  /** The previous hunk line was of the new side (for "\ No newline at end of file"). */
  private lastWasNew = false;
  private readonly seenBlobs = new Set<string>();
  private readonly skippedBlobs = new Set<string>();

  constructor(
    private readonly options: ParserOptions,
    private readonly report: GitReport,
  ) {}

  line(line: Buffer): HistoryChunk[] | undefined {
    const first = line.length > 0 ? line[0]! : -1;
    // No patch line starts with \0 (see the --format above): a commit header ends any hunk, even one
    // whose header promised more lines than came.
    if (first === 0) return this.commitHeader(line);
    if (this.oldLeft > 0 || this.newLeft > 0) {
      // Inside an ordinary hunk the header's counts say exactly how many lines follow.
      if (first === PLUS) {
        this.added(line);
        this.newLeft--;
        this.lastWasNew = true;
      } else if (first === MINUS) {
        this.oldLeft--;
        this.lastWasNew = false;
      } else if (first === BACKSLASH) {
        this.noNewline();
      } else {
        // context (with diff.suppressBlankEmpty an empty context line has no prefix)
        this.oldLeft--;
        this.newLeft--;
        this.newLine++;
        this.keep(line.subarray(first === SPACE ? 1 : 0));
        this.lastWasNew = true;
      }
      return undefined;
    }
    if (this.combinedWidth > 0) {
      if (this.combinedLine(line)) return undefined;
      this.combinedWidth = 0;
    }
    if (first === BACKSLASH) {
      this.noNewline();
      return undefined;
    }
    if (first === 0) return this.commitHeader(line);
    return this.header(line);
  }

  /** End of input: the last file's chunks. */
  end(): HistoryChunk[] | undefined {
    return this.finishFile();
  }

  private commitHeader(line: Buffer): HistoryChunk[] | undefined {
    const chunks = this.finishFile();
    const [, commit, parents, date, author, email] = line.toString('utf8').split('\0');
    this.commit = { source: 'history', commit: commit!, author: author ?? '', email: email ?? '', date: date ?? '' };
    void parents;
    this.report.commits++;
    return chunks;
  }

  private header(line: Buffer): HistoryChunk[] | undefined {
    const text = line.toString('utf8');
    if (text.startsWith('diff ')) {
      const chunks = this.finishFile();
      const combined = text.startsWith('diff --cc ') || text.startsWith('diff --combined ');
      this.file = { deleted: false, binary: false, parents: combined ? 2 : 0, runs: [], content: [], contentBytes: 0, noFinalNewline: false };
      this.file.headerPath = combined ? unquote(text.slice(text.indexOf(' ', 5) + 1)) : pathFromGitHeader(text.slice('diff --git '.length));
      return chunks;
    }
    const file = this.file;
    if (!file) return undefined;
    if (text.startsWith('@@')) {
      const width = /^@+/.exec(text)![0].length;
      const ranges = text.slice(width + 1, text.indexOf(' @@', width)).split(' ');
      const newRange = ranges[ranges.length - 1]!.slice(1).split(',');
      const newStart = count(newRange[0]);
      const newCount = newRange.length > 1 ? count(newRange[1]) : 1;
      // A header git would never print (no numbers, or lines added at line 0): its lines are not trusted
      // to be anything, so the hunk is skipped rather than reported at a line that does not exist.
      if (newStart === undefined || newCount === undefined || (newStart === 0 && newCount > 0)) return undefined;
      this.newLine = newStart;
      if (width === 2) {
        const oldRange = ranges[0]!.slice(1).split(',');
        this.oldLeft = (oldRange.length > 1 ? count(oldRange[1]) : 1) ?? 0;
        this.newLeft = newCount;
        // "+c,0": nothing added; c is the line before the change, not one that exists.
      } else {
        file.parents = width - 1;
        this.combinedWidth = width - 1;
      }
      return undefined;
    }
    if (text.startsWith('index ')) {
      const match = /\.\.([0-9a-f]+)(?: (\d+))?$/.exec(text);
      if (match) {
        file.newBlob = match[1];
        if (match[2]) file.newMode = match[2];
      }
    } else if (text.startsWith('new file mode ') || text.startsWith('new mode ')) {
      file.newMode = text.slice(text.lastIndexOf(' ') + 1);
    } else if (text.startsWith('mode ')) {
      file.newMode = text.slice(text.lastIndexOf('..') + 2);
    } else if (text.startsWith('deleted file mode ')) {
      file.deleted = true;
    } else if (text.startsWith('+++ ')) {
      const path = text.slice(4).replace(/\t$/, '');
      if (path === '/dev/null') file.deleted = true;
      else file.newPath = stripPrefix(unquote(path), 'b/');
    } else if (text.startsWith('rename to ') || text.startsWith('copy to ')) {
      file.newPath = unquote(text.slice(text.indexOf(' to ') + 4));
    } else if (text.startsWith('Binary files ') || text === 'GIT binary patch') {
      file.binary = true;
    }
    return undefined;
  }

  /** A line of a combined hunk, or false when the line is not one (the hunk has ended). */
  private combinedLine(line: Buffer): boolean {
    const width = this.combinedWidth;
    if (line.length < width) return false;
    let plus = 0;
    let minus = 0;
    for (let i = 0; i < width; i++) {
      const c = line[i];
      if (c === PLUS) plus++;
      else if (c === MINUS) minus++;
      else if (c !== SPACE) return false;
    }
    if (minus > 0) return true; // a line of some parent the merge dropped
    // Added against every parent: the merge itself introduced it (a resolution or an "evil" merge).
    if (plus === width) this.added(line, width);
    else this.newLine++;
    return true;
  }

  /** wholeFiles: a line of the new version. */
  private keep(content: Buffer): void {
    const file = this.file;
    if (!this.options.wholeFiles || !file) return;
    file.content.push(content);
    file.contentBytes += content.length + 1;
  }

  /** "\ No newline at end of file": about the line before it, if that was of the new side, the last one. */
  private noNewline(): void {
    if (this.lastWasNew && this.file && this.oldLeft <= 0 && this.newLeft <= 0) this.file.noFinalNewline = true;
  }

  private added(line: Buffer, prefix = 1): void {
    const file = this.file!;
    const number = this.newLine++;
    const content = line.subarray(prefix);
    this.keep(content);
    const last = file.runs[file.runs.length - 1];
    if (last && last.end === number - 1) {
      last.lines.push(content);
      last.end = number;
      last.bytes += content.length + 1;
    } else {
      file.runs.push({ start: number, end: number, lines: [content], bytes: content.length + 1 });
    }
  }

  private finishFile(): HistoryChunk[] | undefined {
    const file = this.file;
    this.file = undefined;
    this.oldLeft = this.newLeft = this.combinedWidth = 0;
    if (!file || file.deleted) return undefined;
    const path = file.newPath ?? file.headerPath;
    if (!path || file.newMode === SUBMODULE_MODE) return undefined;
    if (this.options.isExcluded(path)) return undefined;
    const blob = file.newBlob ?? '';
    if (file.binary) {
      if (blob && !this.skippedBlobs.has(blob)) {
        this.skippedBlobs.add(blob);
        this.onBinary?.(blob);
      }
      return undefined;
    }
    if (file.runs.length === 0) return undefined;
    if (file.newMode === SYMLINK_MODE) {
      this.skipOnce(blob, 'symlink');
      return undefined;
    }
    if (this.options.wholeFiles) {
      const bytes = joinLines(file.content, file.contentBytes);
      const whole = file.noFinalNewline ? bytes.subarray(0, bytes.length - 1) : bytes;
      if (!isUtf8(whole)) {
        this.skipOnce(blob, 'nonUtf8');
        return undefined;
      }
      this.onFile?.({ origin: { path, source: 'staged' }, bytes: whole, addedLines: file.runs.map((run) => [run.start, run.end]) });
      return undefined;
    }
    const bytes = file.runs.map((run) => joinLines(run.lines, run.bytes));
    if (!bytes.every((run) => isUtf8(run))) {
      this.skipOnce(blob, 'nonUtf8');
      return undefined;
    }
    const origin: ChunkOrigin = { path, ...this.commit };
    this.report.files++;
    if (blob && !this.seenBlobs.has(blob)) {
      this.seenBlobs.add(blob);
      this.report.blobs++;
    }
    return file.runs.map((run, index) => {
      this.report.bytes += bytes[index]!.length;
      return { origin, bytes: bytes[index]!, startLine: run.start, ...(blob ? { blob } : {}) };
    });
  }

  private skipOnce(blob: string, why: 'symlink' | 'nonUtf8'): void {
    if (blob && this.skippedBlobs.has(blob)) return;
    if (blob) this.skippedBlobs.add(blob);
    this.report.skipped[why]++;
  }
}

/** A line number or count from a hunk header, or undefined when it is not one. */
function count(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

function joinLines(lines: Buffer[], total: number): Buffer {
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const line of lines) {
    offset += line.copy(out, offset);
    out[offset++] = 10;
  }
  return out;
}

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/**
 * A path as git prints it: verbatim, or in double quotes with C escapes (\n, \t, \", \\, \ooo octal
 * bytes) when it holds a control character, a quote or a backslash (core.quotePath=false leaves
 * non-ASCII bytes alone).
 */
export function unquote(text: string): string {
  if (!text.startsWith('"')) return text;
  const bytes: number[] = [];
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') break;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = text[++i];
    // A trailing backslash (only in malformed input): kept as it is.
    if (next === undefined) {
      bytes.push(92);
      break;
    }
    if (next >= '0' && next <= '7') {
      bytes.push(Number.parseInt(text.slice(i, i + 3), 8));
      i += 2;
      continue;
    }
    const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
    bytes.push(escapes[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The new path from "diff --git a/X b/Y", used only when no ---/+++ or rename line names it (binary and
 * mode-only changes). Unambiguous when quoted, or when both sides name the same path.
 */
function pathFromGitHeader(rest: string): string | undefined {
  if (rest.startsWith('"')) {
    const end = closingQuote(rest);
    const second = rest.slice(end + 2);
    return stripPrefix(second.startsWith('"') ? unquote(second) : second, 'b/');
  }
  if (rest.endsWith('"')) return stripPrefix(unquote(rest.slice(rest.indexOf(' "') + 1)), 'b/');
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.slice(2, half) === rest.slice(half + 3)) return rest.slice(half + 3);
  const split = rest.indexOf(' b/');
  return split === -1 ? undefined : rest.slice(split + 3);
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}
