/**
 * The Git sources: history (every line ever added, on any ref or in a range) and the staged snapshot (the
 * pre-commit hook). Like the working-tree source, they know nothing of rules: they turn Git objects into
 * chunks of text with provenance (commit, author, email, date, path, line), and scan.ts hands those to
 * the detector.
 *
 * Two engines sit behind this one seam (STYLE: only src/sources/git*.ts knows how Git objects are read):
 *
 * - git-native.ts streams the `git` binary's own output (`git log -p`, `git diff --cached`, `git cat-file`).
 *   It is the engine whenever a `git` executable is on PATH. History is read in patch mode, one
 *   `git log -p -U0 --cc` stream. On the bench repository (bench/history.ts; README, "Git history") it
 *   took 1.4× the time of `git log -p -U0 --all` alone, where reading every unique blob once through
 *   `git cat-file --batch` took about 2× before attributing blobs to commits; and only patch mode says
 *   which commit added a line without a second diff pass.
 * - git-iso.ts reads the object database with isomorphic-git and diffs in JavaScript. It is the fallback
 *   when there is no `git` binary (node:alpine CI images): the same findings, many times slower, with a
 *   one-line notice. It is imported only then, so its start-up cost never reaches the hook path.
 *
 * What a chunk is: in history, one run of consecutive lines a commit added to a file (a -U0 hunk),
 * with the line number of its first line in that version of the file; a merge contributes only the lines
 * that are in none of its parents (a conflict resolution, an "evil" merge). For --staged, the whole
 * staged blob of each changed file (so a multi-line secret is whole), with the ranges of lines the
 * change adds: only candidates touching an added line are kept.
 */
import { spawn } from 'node:child_process';
import type { KeywordMatcher } from '../detect/prefilter.js';
import type { ChunkOrigin, ScanError, SkippedCounts } from '../types.js';
import { gitEnvironment } from './git-spawn.js';

export type GitEngineName = 'git' | 'isomorphic-git';

export interface HistoryOptions {
  /** `A..B` (or any revision range git understands): only commits in it. */
  range?: string;
  /** Only commits reachable from this ref. */
  branch?: string;
  /** Only commits newer than this (git's date syntax: 2024-01-31, "2 weeks ago"). */
  since?: string;
  /** At most this many commits, newest first. */
  maxCommits?: number;
  /** Blobs larger than this are skipped and counted. */
  maxFileSize: number;
  /** True for paths not to scan (--exclude, config excludes). */
  isExcluded: (path: string) => boolean;
}

/** Read as staged files arrive, not when staged() is called: the caller may fill them in meanwhile. */
export interface StagedOptions {
  maxFileSize: number;
  isExcluded: (path: string) => boolean;
}

/** One run of added lines (history) with where it came from. */
export interface HistoryChunk {
  origin: ChunkOrigin;
  bytes: Uint8Array;
  /** 1-based line of the first byte in the version of the file the commit made, as Git numbers lines. */
  startLine: number;
  /** The detector numbers the chunk's lines as Git does too (a lone CR does not end one). */
  gitLineNumbers: true;
  /** That version's blob id, when the engine knows it: the CI checks read such files whole (readBlobs). */
  blob?: string;
}

/** A staged file: its whole staged content and the lines the change adds (inclusive, 1-based). */
export interface StagedFile {
  origin: ChunkOrigin;
  bytes: Uint8Array;
  addedLines: [number, number][];
}

/** Counters and messages a Git source fills in as it goes; scan.ts copies them into the report. */
export interface GitReport {
  skipped: Required<SkippedCounts>;
  errors: ScanError[];
  /** One-line notices for stderr: fallback engine, shallow clone, empty repository. */
  notices: string[];
  commits: number;
  blobs: number;
  /** File versions (commit × path) whose added lines were scanned; staged files for --staged. */
  files: number;
  bytes: number;
}

export interface GitRepository {
  /** The work tree's top level (the git dir for a bare repository): reported paths are relative to it. */
  root: string;
  engine: GitEngineName;
  shallow: boolean;
  history(options: HistoryOptions, report: GitReport): AsyncGenerator<HistoryChunk>;
  /** Starts reading at once (the hook path overlaps git with loading the configuration). */
  staged(options: StagedOptions, report: GitReport): AsyncIterable<StagedFile>;
  /**
   * Which of `secrets` occur in some file of HEAD's tree (none when there is no HEAD). Here and below,
   * an object the repository cannot give (missing, corrupt) is listed in `errors` and passed over.
   */
  secretsAtHead(secrets: readonly string[], maxFileSize: number, errors: ScanError[]): Promise<Set<string>>;
  /**
   * Reads blobs by id, all through one reader (native: one `git cat-file --batch`), calling `each` with each
   * one found; ids it cannot read are left out. `bytes` may be a view into a read buffer: copy it to keep it.
   */
  readBlobs(ids: readonly string[], each: (id: string, bytes: Buffer) => void, errors: ScanError[]): Promise<void>;
  /** Blob ids of HEAD's files whose paths `wanted` accepts (symlinks and submodules left out), by path. */
  blobsAtHead(wanted: (path: string) => boolean, errors: ScanError[]): Promise<Map<string, string>>;
}

/** A Git failure the user can act on (bad revision, not a repository): one line, exit code 2. */
export class GitError extends Error {}

export type EngineChoice = 'auto' | 'native' | 'isomorphic';

/**
 * Opens the repository holding `path` with the native engine when a `git` binary runs, otherwise with
 * isomorphic-git (and says so in `report.notices`). `engine` forces one, for tests and diagnosis.
 */
export async function openRepository(path: string, report: GitReport, engine: EngineChoice = 'auto'): Promise<GitRepository> {
  if (engine !== 'isomorphic') {
    const { openNative, GitMissingError } = await import('./git-native.js');
    try {
      return await openNative(path);
    } catch (error) {
      if (!(error instanceof GitMissingError) || engine === 'native') throw error;
      report.notices.push('no git executable on PATH: reading the repository with the built-in engine (isomorphic-git), which is much slower; install git for speed');
    }
  }
  const { openIsomorphic } = await import('./git-iso.js');
  return openIsomorphic(path);
}

export function newGitReport(): GitReport {
  return { skipped: { binary: 0, tooLarge: 0, symlink: 0, unreadable: 0, nonUtf8: 0 }, errors: [], notices: [], commits: 0, blobs: 0, files: 0, bytes: 0 };
}

/** Notice for a shallow clone: what is missing and how to get it. */
export const SHALLOW_NOTICE =
  'shallow clone: commits before the shallow boundary are not in this repository, so they were not scanned, and the oldest commit present shows every file it holds as added (run "git fetch --unshallow" to scan the whole history)';

export const EMPTY_NOTICE = 'the repository has no commits yet: nothing in its history to scan';

/**
 * Finds secrets in blobs: a keyword pass over the first bytes of each secret (the detector's own
 * Aho-Corasick matcher), then an exact comparison at each hit. Used for presentAtHead, where one pass
 * over HEAD's files answers for every finding at once.
 */
export class SecretSearcher {
  private readonly needles: Buffer[];
  private readonly remaining: Set<number>;
  private matcher: KeywordMatcher | undefined;
  /** For each keyword of the matcher: the secret it is the prefix of, and the prefix's length. */
  private readonly owners: { index: number; length: number }[] = [];
  /** Secrets the keyword matcher cannot take (a non-ASCII prefix): searched with indexOf. */
  private readonly direct: number[] = [];

  private constructor(private readonly secrets: readonly string[]) {
    this.needles = secrets.map((secret) => Buffer.from(secret, 'utf8'));
    this.remaining = new Set(secrets.map((_, index) => index));
  }

  static async create(secrets: readonly string[]): Promise<SecretSearcher> {
    const searcher = new SecretSearcher(secrets);
    const { KeywordMatcher } = await import('../detect/prefilter.js');
    const keywords: string[] = [];
    searcher.needles.forEach((needle, index) => {
      // A 32-byte prefix keeps the automaton small for long secrets (PEM blocks); hits are verified whole.
      const prefix = needle.subarray(0, 32).toString('latin1');
      if (prefix.length === 0 || /[^\x00-\x7f]/.test(prefix)) {
        searcher.direct.push(index);
        return;
      }
      keywords.push(prefix.toLowerCase());
      searcher.owners.push({ index, length: prefix.length });
    });
    if (keywords.length > 0) searcher.matcher = new KeywordMatcher(keywords);
    return searcher;
  }

  get done(): boolean {
    return this.remaining.size === 0;
  }

  /** Marks the secrets that occur in `bytes`. */
  search(bytes: Buffer): void {
    if (this.matcher) {
      const hits = this.matcher.findInBytes(bytes);
      for (let h = 0; h < hits.length; h += 2) {
        const { index, length } = this.owners[hits[h]!]!;
        if (!this.remaining.has(index)) continue;
        const needle = this.needles[index]!;
        const start = hits[h + 1]! - length;
        if (start + needle.length <= bytes.length && bytes.compare(needle, 0, needle.length, start, start + needle.length) === 0) {
          this.remaining.delete(index);
        }
      }
    }
    for (const index of this.direct) {
      if (this.remaining.has(index) && bytes.indexOf(this.needles[index]!) !== -1) this.remaining.delete(index);
    }
  }

  found(): Set<string> {
    return new Set(this.secrets.filter((_, index) => !this.remaining.has(index)));
  }
}

/** Runs `git args` in `cwd` and resolves with its stdout; rejects with stderr's first line. */
export function gitOutput(cwd: string, args: string[], options: { allowFailure?: boolean } = {}): Promise<{ stdout: Buffer; code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: gitEnvironment() });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => out.push(data));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { stdout: Buffer.concat(out), code: code ?? 1, stderr };
      if (result.code !== 0 && !options.allowFailure) reject(new GitError(describeGitFailure(args, stderr)));
      else resolve(result);
    });
  });
}

export function describeGitFailure(args: string[], stderr: string): string {
  const line =
    stderr
      .split('\n')
      .map((text) => text.trim())
      .find((text) => text.startsWith('fatal:') || text.startsWith('error:')) ??
    stderr.trim().split('\n')[0] ??
    '';
  const command = args.find((arg) => !arg.startsWith('-') && !arg.includes('=')) ?? 'git';
  return `git ${command} failed: ${line.replace(/^(fatal|error): /, '') || 'no message'}`;
}
