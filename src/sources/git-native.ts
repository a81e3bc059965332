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
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { isUtf8 } from 'node:buffer';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import type { ChunkOrigin, ScanError } from '../types.js';
import {
  EMPTY_NOTICE,
  GitError,
  SHALLOW_NOTICE,
  SecretSearcher,
  describeGitFailure,
  gitOutput,
  type GitReport,
  type GitRepository,
  type HistoryChunk,
  type HistoryOptions,
  type StagedFile,
  type StagedOptions,
} from './git.js';
import { DIFF_FLAGS, pinnedConfig, spawnGit, stagedDiffArgs, takeStagedDiff } from './git-spawn.js';
import { ScanInterrupted, interruptCheck } from './interrupt.js';

/** There is no `git` executable to run: the caller falls back to isomorphic-git. */
export class GitMissingError extends Error {}

const SUBMODULE_MODE = '160000';
const SYMLINK_MODE = '120000';
// \0 cannot start a line of a patch (every content line starts with + - space or \), so a line starting
// with it is a commit header whatever the files hold.
const COMMIT_FORMAT = '--format=%x00%H%x00%P%x00%aI%x00%an%x00%ae';
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** What git says when an object it needs is missing or cannot be read: the repository is damaged. */
const DAMAGE = /unable to read|bad object|corrupt|inflate|missing blob|could not read|cannot read|unable to unpack|failed to read object|bad packed object|did not find object|invalid object|packfile .* cannot be accessed|premature end|fatal: packed object/i;
const BAD_REVISION = /bad revision|unknown revision|ambiguous argument|invalid|bad object/i;

/** What a patch run that failed leaves behind: git's message and the last commit it showed, if any. */
interface PatchFailure {
  stderr: string;
  lastShown?: string;
}

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
    if (root) return new NativeRepository(root, existsSync(join(commonGitDir(join(root, '.git')), 'shallow')), path);
  }
  const result = await gitOutput(path, ['rev-parse', '--is-shallow-repository', '--absolute-git-dir', '--show-toplevel'], { allowFailure: true });
  // --show-toplevel comes last: it fails (after printing the others) in a bare repository.
  const lines = result.stdout.toString('utf8').split('\n');
  if (lines.length < 3 || (lines[0] !== 'true' && lines[0] !== 'false')) {
    throw new GitError(`${path}: not a Git repository (${result.stderr.trim().split('\n')[0]?.replace(/^fatal: /, '') || 'git rev-parse failed'}); give the path of a repository or run inside one`);
  }
  const gitDir = lines[1]!;
  return new NativeRepository(lines[2] || (gitDir.endsWith('/.git') ? dirname(gitDir) : gitDir), lines[0] === 'true', path);
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
  /** Objects already listed in the report's errors as unreadable: each is listed once. */
  private readonly reported = new Set<string>();

  constructor(
    readonly root: string,
    readonly shallow: boolean,
    /** The path it was opened from: a staged diff started early there answers for it (git-spawn.ts). */
    private readonly openedFrom: string,
  ) {}

  async *history(options: HistoryOptions, report: GitReport): AsyncGenerator<HistoryChunk> {
    if (this.shallow) report.notices.push(SHALLOW_NOTICE);
    const revisions = options.range ?? options.branch;
    const walk = [
      ...(options.since ? [`--since=${options.since}`] : []),
      ...(options.maxCommits !== undefined ? [`--max-count=${options.maxCommits}`] : []),
      ...(revisions ? ['--end-of-options', revisions] : ['--all']),
    ];
    const args = [...pinnedConfig(options.maxFileSize), 'log', '-p', '--cc', ...DIFF_FLAGS, '--no-relative', '--encoding=UTF-8', COMMIT_FORMAT, ...walk, '--'];
    const parser = new PatchParser(options, report);
    const binaries = new Set<string>();
    parser.onBinary = (blob) => binaries.add(blob);
    const errorsBefore = report.errors.length;
    const failure = yield* this.patches(args, parser, report);
    if (failure) {
      // A bad --range or --branch fails before any commit is shown; "bad object" alone does not tell it
      // from a damaged repository.
      if (revisions && report.commits === 0 && BAD_REVISION.test(failure.stderr)) throw revisionError(revisions, args, failure.stderr);
      if (!DAMAGE.test(failure.stderr)) throw new GitError(describeGitFailure(args, failure.stderr));
      yield* this.recover(failure, walk, options, parser, report);
    }
    if (report.commits === 0 && !revisions && !options.since && report.errors.length === errorsBefore && !(await this.hasCommits())) report.notices.push(EMPTY_NOTICE);
    await this.countSkippedBinaries(binaries, options.maxFileSize, report);
  }

  /**
   * Runs one patch-printing git (`log -p`, or `diff-tree --stdin -p` fed `commits`) through the parser.
   * Returns undefined when it exits cleanly, or what a failed run left to locate the damage with.
   */
  private async *patches(args: string[], parser: PatchParser, report: GitReport, commits?: string[]): AsyncGenerator<HistoryChunk, PatchFailure | undefined> {
    const child = spawnGit(this.root, args, commits !== undefined);
    const writing = commits ? writeIds(child, commits) : undefined;
    const commitsBefore = report.commits;
    const checkInterrupted = interruptCheck();
    try {
      for await (const batch of lineBatches(child)) {
        checkInterrupted();
        for (const line of batch) {
          const chunks = parser.line(line);
          if (chunks) yield* chunks;
        }
      }
      // Lines git printed before it died are real lines of the commit it was showing: they are kept.
      const last = parser.end();
      if (last) yield* last;
      await writing;
      const status = await exitStatus(child);
      if (status.code === 0) return undefined;
      return { stderr: status.stderr, lastShown: report.commits > commitsBefore ? parser.commitId : undefined };
    } finally {
      if (child.exitCode === null) child.kill();
    }
  }

  /**
   * After git died on a missing or corrupt object: says which commit it could not read, then diffs the
   * commits after it (the same walk, listed by rev-list) with `diff-tree --stdin`, and again after each
   * further failure. Each round starts past the commit that failed, so it ends.
   */
  private async *recover(first: PatchFailure, walk: string[], options: HistoryOptions, parser: PatchParser, report: GitReport): AsyncGenerator<HistoryChunk> {
    const listed = await gitOutput(this.root, ['rev-list', ...walk, '--'], { allowFailure: true });
    const commits = listed.stdout.toString('latin1').split('\n').filter((line) => OBJECT_ID.test(line));
    if (listed.code !== 0) {
      report.errors.push({ path: '(history)', message: `${describeGitFailure(['rev-list'], listed.stderr)} (a missing or corrupt object): commits beyond it could not be listed and were not scanned` });
    }
    const args = [...pinnedConfig(options.maxFileSize), 'diff-tree', '--stdin', '-p', '--cc', '--root', '--always', ...DIFF_FLAGS, '--no-relative', '--encoding=UTF-8', COMMIT_FORMAT, '--'];
    let failure = first;
    let start = 0;
    for (;;) {
      const failed = await this.failedCommit(commits, start, failure, options.maxFileSize);
      if (failed === undefined) {
        report.errors.push({ path: '(history)', message: `${gitMessage(failure.stderr)} (a missing or corrupt object), at a commit that could not be placed in the history: the commits after it were not scanned` });
        return;
      }
      const { index } = failed;
      const commit = commits[index]!;
      const object = lastObjectId(failure.stderr);
      // failedCommit may have looked the path up already: the same diff-tree is not run twice.
      const path = 'path' in failed ? failed.path : object ? await this.pathOfObject(commit, object) : undefined;
      if (object) this.reported.add(object);
      report.errors.push({
        path: path !== undefined ? `${path} (${commit.slice(0, 12)})` : `(commit ${commit.slice(0, 12)})`,
        message: `commit ${commit}: ${gitMessage(failure.stderr)} (a missing or corrupt object); this commit was not scanned in full, the commits around it were`,
      });
      start = index + 1;
      if (start >= commits.length) return;
      const next = yield* this.patches(args, parser, report, commits.slice(start));
      if (!next) return;
      if (!DAMAGE.test(next.stderr)) throw new GitError(describeGitFailure(args, next.stderr));
      failure = next;
    }
  }

  /**
   * The index in `commits` of the commit a run that began at `start` failed on. git prints a commit's
   * header after reading its trees (and the blobs rename detection needs) and before diffing its files,
   * so the failure is in the last commit shown, or in the one after it. With the damaged object's path in
   * that commit when it was looked up on the way.
   */
  private async failedCommit(commits: string[], start: number, failure: PatchFailure, maxFileSize: number): Promise<{ index: number; path?: string | undefined } | undefined> {
    if (failure.lastShown === undefined) return start < commits.length ? { index: start } : undefined;
    const shown = commits.indexOf(failure.lastShown, start);
    if (shown === -1) return undefined;
    if (shown === commits.length - 1) return { index: shown };
    const object = lastObjectId(failure.stderr);
    const path = object ? await this.pathOfObject(commits[shown]!, object) : undefined;
    if (path !== undefined) return { index: shown, path };
    const alone = await gitOutput(this.root, [...pinnedConfig(maxFileSize), 'diff-tree', '-p', '--cc', '--root', ...DIFF_FLAGS, commits[shown]!, '--'], { allowFailure: true });
    return alone.code === 0 ? { index: shown + 1 } : { index: shown, path };
  }

  /** The path at which `commit` changes to or from `object`, if it does (reads trees only). */
  private async pathOfObject(commit: string, object: string): Promise<string | undefined> {
    const raw = await gitOutput(this.root, ['diff-tree', '-r', '-z', '-m', '--root', '--no-renames', '--no-abbrev', '--raw', commit, '--'], { allowFailure: true });
    const fields = raw.stdout.toString('utf8').split('\0');
    for (let i = 0; i + 1 < fields.length; i++) {
      // :<old mode> <new mode> <old id> <new id> <status>, then the path
      if (!fields[i]!.startsWith(':')) continue;
      const [, , oldId, newId] = fields[i]!.split(' ');
      if (oldId === object || newId === object) return fields[i + 1];
      i++;
    }
    return undefined;
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
   * (core.bigFileThreshold, 512 MiB) on what it diffs. The launcher may have started the same command
   * before the CLI loaded (git-spawn.ts): then that one is read.
   */
  staged(options: StagedOptions, report: GitReport): AsyncIterable<StagedFile> {
    const args = stagedDiffArgs();
    const early = takeStagedDiff(this.openedFrom);
    const child = early?.child ?? spawnGit(this.root, args);
    const output = early?.output ?? (child.stdout as AsyncIterable<Buffer>);
    const parsed = (async () => {
      const parser = new PatchParser({ maxFileSize: Number.MAX_SAFE_INTEGER, isExcluded: () => false, wholeFiles: true }, report);
      const binaries = new Set<string>();
      parser.onBinary = (blob) => binaries.add(blob);
      const files: StagedFile[] = [];
      parser.onFile = (file) => files.push(file);
      try {
        for await (const data of lineAligned(output)) parser.lines(data);
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

  async secretsAtHead(secrets: readonly string[], maxFileSize: number, errors: ScanError[]): Promise<Set<string>> {
    if (secrets.length === 0) return new Set();
    const tree = await this.headTree(['-l'], errors);
    const blobs = new Map<string, string>();
    for (const entry of tree) {
      // <mode> SP <type> SP <object> SP+ <size> TAB <path>; the size is "BAD" for an object git cannot read
      const match = /^(\d+) blob ([0-9a-f]+) +(\d+|BAD)\t(.*)$/s.exec(entry);
      if (!match || match[1] === SYMLINK_MODE) continue;
      if (match[3] === 'BAD') {
        this.unreadable(errors, match[2]!, match[4]!, 'is missing or corrupt', "whether HEAD's version holds a secret found in history is not known");
        continue;
      }
      if (Number(match[3]) <= maxFileSize && !blobs.has(match[2]!)) blobs.set(match[2]!, match[4]!);
    }
    const searcher = await SecretSearcher.create(secrets);
    await this.streamBlobs(
      [...blobs.keys()],
      (_, bytes) => {
        searcher.search(bytes);
        return !searcher.done;
      },
      (id, why) => this.unreadable(errors, id, blobs.get(id)!, why, "whether HEAD's version holds a secret found in history is not known"),
    );
    return searcher.found();
  }

  async readBlobs(ids: readonly string[], each: (id: string, bytes: Buffer) => void, errors: ScanError[]): Promise<void> {
    await this.streamBlobs(
      [...ids],
      (id, bytes) => {
        each(id, bytes);
        return true;
      },
      (id, why) => this.unreadable(errors, id, `(object ${id.slice(0, 12)})`, why, 'skipped'),
    );
  }

  async blobsAtHead(wanted: (path: string) => boolean, errors: ScanError[]): Promise<Map<string, string>> {
    const blobs = new Map<string, string>();
    for (const entry of await this.headTree([], errors)) {
      // <mode> SP <type> SP <object> TAB <path>; -z leaves paths unquoted
      const match = /^(\d+) blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
      if (match && match[1] !== SYMLINK_MODE && wanted(match[3]!)) blobs.set(match[3]!, match[2]!);
    }
    return blobs;
  }

  /**
   * HEAD's tree, one entry a string: none when there is no HEAD yet. A tree git cannot read is listed in
   * `errors`, and the entries it printed before stopping are kept.
   */
  private async headTree(flags: string[], errors: ScanError[]): Promise<string[]> {
    const tree = await gitOutput(this.root, [...pinnedConfig(), 'ls-tree', '-r', '-z', ...flags, '--full-tree', 'HEAD'], { allowFailure: true });
    const entries = tree.stdout.toString('utf8').split('\0');
    entries.pop(); // after the last NUL: empty, or an entry cut short
    if (tree.code !== 0 && DAMAGE.test(tree.stderr)) {
      const object = lastObjectId(tree.stderr);
      if (!object || !this.reported.has(object)) {
        if (object) this.reported.add(object);
        errors.push({ path: '(HEAD)', message: `${gitMessage(tree.stderr)} (a missing or corrupt object): HEAD's files were not all listed, so presentAtHead and the CI checks of HEAD may miss some` });
      }
    }
    return entries;
  }

  /** Lists an object git could not read in `errors`, once per object. */
  private unreadable(errors: ScanError[], id: string, path: string, why: string, consequence: string): void {
    if (this.reported.has(id)) return;
    this.reported.add(id);
    errors.push({ path, message: `object ${id} ${why}; ${consequence}` });
  }

  private async hasCommits(): Promise<boolean> {
    const result = await gitOutput(this.root, ['rev-list', '-n', '1', '--all'], { allowFailure: true });
    return result.stdout.length > 0;
  }

  /** Binary-looking blobs git did not diff: over the size limit, or binary. Counted once per blob. */
  async countSkippedBinaries(blobs: Set<string>, maxFileSize: number, report: GitReport): Promise<void> {
    if (blobs.size === 0) return;
    const sizes = await this.blobSizes([...blobs], report.errors);
    for (const blob of blobs) {
      if ((sizes.get(blob) ?? 0) > maxFileSize) report.skipped.tooLarge++;
      else report.skipped.binary++;
    }
  }

  /** Sizes of blobs, by id; one git cannot read is left out (and listed in `errors`). */
  private async blobSizes(ids: string[], errors: ScanError[]): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    let rest = ids;
    while (rest.length > 0) {
      const child = spawnGit(this.root, ['cat-file', '--batch-check=%(objectname) %(objectsize)'], true);
      const writing = writeIds(child, rest);
      let answered = 0;
      for await (const batch of lineBatches(child)) {
        for (const line of batch) {
          const [id, size] = line.toString('latin1').split(' ');
          answered++;
          if (id && size && /^\d+$/.test(size)) sizes.set(id, Number(size));
          else if (id) this.unreadable(errors, id, `(object ${id.slice(0, 12)})`, 'is missing', 'counted as skipped');
        }
      }
      await writing;
      const status = await exitStatus(child);
      if (status.code === 0 || answered >= rest.length) break;
      // git stopped at the object after the last one it answered for: note it, and go on past it.
      if (!DAMAGE.test(status.stderr)) throw new GitError(describeGitFailure(['cat-file'], status.stderr));
      this.unreadable(errors, rest[answered]!, `(object ${rest[answered]!.slice(0, 12)})`, `could not be read (${gitMessage(status.stderr)})`, 'counted as skipped');
      rest = rest.slice(answered + 1);
    }
    return sizes;
  }

  /**
   * Streams blobs through `git cat-file --batch`; `each` returns false to stop early. Each blob is
   * handed over as a view into the read buffer: copy it to keep it. A blob git cannot read goes to
   * `unreadable`: a missing one is answered as such, and where git dies on a corrupt one, a new
   * `cat-file` goes on from the next.
   */
  private async streamBlobs(ids: string[], each: (id: string, bytes: Buffer) => boolean, unreadable: (id: string, why: string) => void): Promise<void> {
    let rest = ids;
    while (rest.length > 0) {
      const { answered, stopped, child } = await this.catFileBatch(rest, each, unreadable);
      if (stopped || answered >= rest.length) return;
      const status = await exitStatus(child);
      if (!DAMAGE.test(status.stderr)) {
        // Not the object's fault (git itself failed): no use trying the next one.
        unreadable(rest[answered]!, `could not be read (${describeGitFailure(['cat-file'], status.stderr)}), nor the ${rest.length - answered - 1} after it`);
        return;
      }
      unreadable(rest[answered]!, `could not be read (${gitMessage(status.stderr)})`);
      rest = rest.slice(answered + 1);
    }
  }

  /** One `git cat-file --batch` over `ids`: how many it answered for (read or missing) before it ended. */
  private async catFileBatch(
    ids: string[],
    each: (id: string, bytes: Buffer) => boolean,
    unreadable: (id: string, why: string) => void,
  ): Promise<{ answered: number; stopped: boolean; child: ChildProcessWithoutNullStreams }> {
    const child = spawnGit(this.root, ['cat-file', '--batch'], true);
    const writing = writeIds(child, ids);
    // Incoming data is kept as a list and joined only once the current blob is complete, so a large
    // blob arriving in many pieces is copied once, not once per piece.
    let parts: Buffer[] = [];
    let buffered = 0;
    let needed = 0;
    let stopped = false;
    let answered = 0;
    let ended = false;
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
          if (header[1] === 'missing' || header[1] === 'ambiguous') {
            unreadable(header[0]!, `is ${header[1]}`);
            answered++;
            offset = newline + 1;
            continue;
          }
          const end = newline + 1 + Number(header[2]);
          if (pending.length < end + 1) {
            needed = end + 1 - offset;
            break;
          }
          answered++;
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
      ended = !stopped;
    } finally {
      // Left running only when it ran to its end: the caller then reads how it exited.
      if (!ended && child.exitCode === null) {
        child.stdin.destroy();
        child.kill();
      }
    }
    await writing.catch(() => undefined);
    return { answered, stopped, child };
  }
}

// ─── Processes ───────────────────────────────────────────────────────────────────────────────────

/** How a child ended; throws ScanInterrupted when it was stopped by SIGINT or SIGTERM. */
async function exitStatus(child: ChildProcessWithoutNullStreams): Promise<{ code: number; stderr: string }> {
  const code = child.exitCode ?? (await new Promise<number>((resolve) => child.once('close', (exit) => resolve(exit ?? 1))));
  // Killed by SIGINT or SIGTERM: ours on an interrupted scan, or the terminal's Ctrl-C to the whole group.
  if (code !== 0 && (child.signalCode === 'SIGINT' || child.signalCode === 'SIGTERM')) throw new ScanInterrupted(child.signalCode);
  return { code, stderr: (child as unknown as { stderrText: () => string }).stderrText() };
}

async function exited(child: ChildProcessWithoutNullStreams, args: string[]): Promise<void> {
  const { code, stderr } = await exitStatus(child);
  if (code === 0) return;
  throw new GitError(describeGitFailure(args, stderr));
}

function revisionError(revisions: string, args: string[], stderr: string): GitError {
  return new GitError(`${revisions}: not a revision or range in this repository (${describeGitFailure(args, stderr).replace(/^git \S+ failed: /, '')}); give branches, tags or commits, as in main..feature`);
}

/** git's own words for what it could not do: its last fatal or error line. */
function gitMessage(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const fatal = lines.filter((line) => /^(fatal|error):/.test(line)).pop() ?? lines.pop() ?? 'git failed';
  return fatal.replace(/^(fatal|error): /, '');
}

/** The last object id git named in its messages (the object it could not read, as it reports it). */
function lastObjectId(stderr: string): string | undefined {
  return stderr.match(/\b[0-9a-f]{40}(?:[0-9a-f]{24})?\b/g)?.pop();
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

/**
 * The output as pieces that end at a line's end (the last one may not: the output's own end). A line
 * cut between two chunks is joined on its own, not by copying the rest of the chunk after it.
 */
async function* lineAligned(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  for await (const data of source) {
    const last = data.lastIndexOf(10);
    if (last === -1) {
      carry = carry ? Buffer.concat([carry, data]) : data;
      continue;
    }
    let from = 0;
    if (carry) {
      from = data.indexOf(10) + 1;
      yield Buffer.concat([carry, data.subarray(0, from)]);
    }
    if (from <= last) yield data.subarray(from, last + 1);
    carry = last + 1 < data.length ? data.subarray(last + 1) : undefined;
  }
  if (carry) yield carry;
}

// ─── The patch parser ────────────────────────────────────────────────────────────────────────────

const PLUS = 0x2b;
const MINUS = 0x2d;
const SPACE = 0x20;
const BACKSLASH = 0x5c;
const EMPTY_CONTENT = Buffer.alloc(0);

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
  /** wholeFiles: the new version as rebuilt so far, content[0, contentBytes), each line with its newline. */
  content: Buffer;
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

  /** The commit whose header came last. */
  get commitId(): string | undefined {
    return this.commit.commit;
  }

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
      this.hunkLine(line, 0, line.length);
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

  /**
   * wholeFiles (--staged): every line of `data`, which ends with a newline or is the end of the output.
   * The lines inside a hunk, nearly all of a whole-file diff, are read in place: no Buffer for each of
   * them (line() takes one), which was most of the hook's time parsing its diff.
   */
  lines(data: Buffer): void {
    for (let start = 0; start < data.length; ) {
      let end = data.indexOf(10, start);
      if (end === -1) end = data.length;
      // As in line(): a line starting with \0 is a commit header, and ends any hunk.
      if ((this.oldLeft > 0 || this.newLeft > 0) && data[start] !== 0) this.hunkLine(data, start, end);
      else this.line(data.subarray(start, end));
      start = end + 1;
    }
  }

  /** A line of an ordinary hunk, data[start, end): its header's counts say how many lines follow. */
  private hunkLine(data: Buffer, start: number, end: number): void {
    const first = end > start ? data[start]! : -1;
    if (first === PLUS) {
      this.added(data, start, end);
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
      this.keep(data, first === SPACE ? start + 1 : start, end);
      this.lastWasNew = true;
    }
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
      this.file = { deleted: false, binary: false, parents: combined ? 2 : 0, runs: [], content: EMPTY_CONTENT, contentBytes: 0, noFinalNewline: false };
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
    if (plus === width) this.added(line, 0, line.length, width);
    else this.newLine++;
    return true;
  }

  /** wholeFiles: a line of the new version, data[start, end), copied on with its newline. */
  private keep(data: Buffer, start: number, end: number): void {
    const file = this.file;
    if (!this.options.wholeFiles || !file) return;
    const needed = file.contentBytes + (end - start) + 1;
    if (needed > file.content.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, file.content.length * 2, 4096));
      file.content.copy(grown, 0, 0, file.contentBytes);
      file.content = grown;
    }
    file.contentBytes += data.copy(file.content, file.contentBytes, start, end);
    file.content[file.contentBytes++] = 10;
  }

  /** "\ No newline at end of file": about the line before it, if that was of the new side, the last one. */
  private noNewline(): void {
    if (this.lastWasNew && this.file && this.oldLeft <= 0 && this.newLeft <= 0) this.file.noFinalNewline = true;
  }

  /** An added line, data[start + prefix, end): its run, and (wholeFiles) the new version. */
  private added(data: Buffer, start: number, end: number, prefix = 1): void {
    const file = this.file!;
    const number = this.newLine++;
    let run = file.runs[file.runs.length - 1];
    if (run && run.end === number - 1) run.end = number;
    else file.runs.push((run = { start: number, end: number, lines: [], bytes: 0 }));
    // wholeFiles: only the runs' line numbers are needed, the lines themselves are in the whole content.
    if (this.options.wholeFiles) return this.keep(data, start + prefix, end);
    const content = data.subarray(start + prefix, end);
    run.lines.push(content);
    run.bytes += content.length + 1;
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
      const whole = file.content.subarray(0, file.noFinalNewline ? file.contentBytes - 1 : file.contentBytes);
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
      return { origin, bytes: bytes[index]!, startLine: run.start, gitLineNumbers: true as const, ...(blob ? { blob } : {}) };
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
