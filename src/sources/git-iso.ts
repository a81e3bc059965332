/**
 * The fallback Git engine, for machines without a `git` binary: isomorphic-git reads the objects and
 * this module does what `git log -p -U0 --cc` does for the native engine. It walks the commits, diffs
 * each commit's tree against its parents', pairs renames (exact ones, and git's 50% similarity on
 * lines), diffs changed files line by line (Myers), and yields the same chunks: runs of added lines with
 * the number of their first line in the new version. A merge yields the lines added against every parent.
 *
 * It gives the same findings as the native engine on ordinary histories; it can differ where two diffs
 * are equally short and git's heuristics pick the other one (a line repeated next to itself), in which
 * case the same secret is still found, possibly at the neighbouring copy. perf-probe §5: reading objects
 * this way is 11-27× slower than git, so it is only loaded when git is missing.
 */
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { isAbsolute, join } from 'node:path';
import type { ChunkOrigin, ScanError } from '../types.js';
import {
  EMPTY_NOTICE,
  GitError,
  SHALLOW_NOTICE,
  SecretSearcher,
  type GitReport,
  type GitRepository,
  type HistoryChunk,
  type HistoryOptions,
  type StagedFile,
  type StagedOptions,
} from './git.js';

type Git = typeof import('isomorphic-git');

const SUBMODULE_MODE = 0o160000;
const SYMLINK_MODE = 0o120000;
const TREE_MODE = 0o040000;
/** git looks for a NUL in this many leading bytes to call a blob binary (xdiff's FIRST_FEW_BYTES). */
const BINARY_SNIFF = 8000;
const RENAME_SCORE = 0.5;
const RENAME_LIMIT = 1000;
/** Beyond this many differences, the line diff gives up on minimality (see addedLines). */
const MAX_EDIT_DISTANCE = 4000;

export async function openIsomorphic(path: string): Promise<GitRepository> {
  const module = (await import('isomorphic-git')) as Git & { default?: Git };
  const git = module.default ?? module;
  let root: string;
  try {
    root = await git.findRoot({ fs, filepath: path });
  } catch {
    throw new GitError(`${path}: not a Git repository; give the path of a repository or run inside one`);
  }
  const gitdir = resolveGitDir(root);
  const shallow = readShallow(gitdir);
  return new IsomorphicRepository(git, root, gitdir, shallow);
}

/** `.git` is a folder, or a file saying `gitdir: …` (worktrees, submodules). */
function resolveGitDir(root: string): string {
  const dotGit = join(root, '.git');
  try {
    if (fs.statSync(dotGit).isFile()) {
      const target = /^gitdir: (.*)$/m.exec(fs.readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      if (target) return isAbsolute(target) ? target : join(root, target);
    }
  } catch {
    // fall through
  }
  return dotGit;
}

function readShallow(gitdir: string): Set<string> {
  try {
    return new Set(fs.readFileSync(join(gitdir, 'shallow'), 'utf8').split('\n').filter(Boolean));
  } catch {
    return new Set();
  }
}

interface Entry {
  oid: string;
  mode: number;
}

interface Change {
  path: string;
  /** The new side; undefined for a deletion. */
  entry?: Entry;
  /** The old side: same path, or the rename source. */
  old?: Entry;
}

interface CommitInfo {
  oid: string;
  parents: string[];
  tree: string;
  committerTime: number;
  origin: Omit<ChunkOrigin, 'path'>;
}

class IsomorphicRepository implements GitRepository {
  readonly engine = 'isomorphic-git' as const;
  private readonly cache = {};
  private readonly trees = new Map<string, Map<string, Entry>>();

  constructor(
    private readonly git: Git,
    readonly root: string,
    private readonly gitdir: string,
    private readonly shallowSet: Set<string>,
  ) {}

  get shallow(): boolean {
    return this.shallowSet.size > 0;
  }

  async *history(options: HistoryOptions, report: GitReport): AsyncGenerator<HistoryChunk> {
    if (this.shallow) report.notices.push(SHALLOW_NOTICE);
    const commits = await this.selectCommits(options);
    if (commits.length === 0 && !options.range && !options.branch && !options.since && (await this.startRefs()).length === 0) {
      report.notices.push(EMPTY_NOTICE);
    }
    const seenBlobs = new Set<string>();
    const skippedBlobs = new Set<string>();
    for (const commit of commits) {
      report.commits++;
      const parents = this.shallowSet.has(commit.oid) ? [] : commit.parents;
      let changes: Change[];
      try {
        changes = await this.commitChanges(commit, parents);
      } catch (error) {
        // isomorphic-git refuses some trees git accepts (a path with a backslash, for one).
        report.errors.push({ path: `commit ${commit.oid.slice(0, 12)}`, message: `cannot read it with isomorphic-git (${(error as Error).message}); skipped` });
        continue;
      }
      for (const change of changes) {
        const chunks = await this.changeChunks(change, commit, parents, options, report, skippedBlobs);
        if (!chunks || chunks.length === 0) continue;
        report.files++;
        if (!seenBlobs.has(change.entry!.oid)) {
          seenBlobs.add(change.entry!.oid);
          report.blobs++;
        }
        for (const chunk of chunks) {
          report.bytes += chunk.bytes.length;
          yield chunk;
        }
      }
    }
  }

  async *staged(options: StagedOptions, report: GitReport): AsyncGenerator<StagedFile> {
    const git = this.git;
    const head = await this.resolve('HEAD').catch(() => undefined);
    const headTree = head ? await this.flatTree((await this.readCommit(head)).tree) : new Map<string, Entry>();
    const index = new Map<string, Entry>();
    await git.walk({
      fs,
      dir: this.root,
      gitdir: this.gitdir,
      cache: this.cache,
      trees: [git.STAGE()],
      map: async (path, [stage]) => {
        if (!stage || path === '.') return true;
        if ((await stage.type()) !== 'blob' && (await stage.type()) !== 'commit') return true;
        index.set(path, { oid: (await stage.oid())!, mode: (await stage.mode())! });
        return true;
      },
    });
    const changes = pairRenames(diffMaps(headTree, index), (oid) => this.blob(oid));
    const skipped = new Set<string>();
    for (const change of await changes) {
      if (!change.entry || options.isExcluded(change.path)) continue;
      const { entry } = change;
      if (entry.mode === SUBMODULE_MODE) continue;
      const bytes = await this.blob(entry.oid);
      const oldBytes = change.old ? await this.blob(change.old.oid) : Buffer.alloc(0);
      if (bytes.length > options.maxFileSize || oldBytes.length > options.maxFileSize) {
        if (!skipped.has(entry.oid)) report.skipped[bytes.length > options.maxFileSize ? 'tooLarge' : 'binary']++;
        skipped.add(entry.oid);
        continue;
      }
      if (isBinary(bytes) || isBinary(oldBytes)) {
        if (!skipped.has(entry.oid)) report.skipped.binary++;
        skipped.add(entry.oid);
        continue;
      }
      const added = addedLines(splitLines(oldBytes), splitLines(bytes));
      const runs = toRuns(added);
      if (runs.length === 0) continue;
      if (entry.mode === SYMLINK_MODE) {
        report.skipped.symlink++;
        continue;
      }
      if (!isUtf8(bytes)) {
        report.skipped.nonUtf8++;
        continue;
      }
      report.files++;
      report.blobs++;
      report.bytes += bytes.length;
      yield { origin: { path: change.path, source: 'staged' }, bytes, addedLines: runs.map(([start, end]) => [start + 1, end + 1]) };
    }
  }

  async secretsAtHead(secrets: readonly string[], maxFileSize: number, errors: ScanError[]): Promise<Set<string>> {
    if (secrets.length === 0) return new Set();
    const head = await this.resolve('HEAD').catch(() => undefined);
    if (!head) return new Set();
    const searcher = await SecretSearcher.create(secrets);
    const tree = await this.headTree(head, errors);
    for (const [path, entry] of tree) {
      if (entry.mode === SUBMODULE_MODE || entry.mode === SYMLINK_MODE) continue;
      const bytes = await this.blob(entry.oid).catch((error: Error) => {
        errors.push({ path, message: `object ${entry.oid} could not be read (${error.message}); whether HEAD's version holds a secret found in history is not known` });
        return undefined;
      });
      if (!bytes || bytes.length > maxFileSize) continue;
      searcher.search(bytes);
      if (searcher.done) break;
    }
    return searcher.found();
  }

  async readBlobs(ids: readonly string[], each: (id: string, bytes: Buffer) => void, errors: ScanError[]): Promise<void> {
    for (const id of ids) {
      const bytes = await this.blob(id).catch((error: Error) => {
        errors.push({ path: `(object ${id.slice(0, 12)})`, message: `object ${id} could not be read (${error.message}); skipped` });
        return undefined;
      });
      if (bytes) each(id, bytes);
    }
  }

  async blobsAtHead(wanted: (path: string) => boolean, errors: ScanError[]): Promise<Map<string, string>> {
    const blobs = new Map<string, string>();
    const head = await this.resolve('HEAD').catch(() => undefined);
    if (!head) return blobs;
    for (const [path, entry] of await this.headTree(head, errors)) {
      if (entry.mode !== SUBMODULE_MODE && entry.mode !== SYMLINK_MODE && wanted(path)) blobs.set(path, entry.oid);
    }
    return blobs;
  }

  /** HEAD's files; none, and an error listed, when its commit or trees cannot be read. */
  private async headTree(head: string, errors: ScanError[]): Promise<Map<string, Entry>> {
    try {
      return await this.flatTree((await this.readCommit(head)).tree);
    } catch (error) {
      errors.push({ path: '(HEAD)', message: `HEAD's files could not be listed (${(error as Error).message}): presentAtHead and the CI checks of HEAD may miss some` });
      return new Map();
    }
  }

  // ─── Commits ───────────────────────────────────────────────────────────────────────────────────

  /** The commits `git log` would list for these options, newest (by committer date) first. */
  private async selectCommits(options: HistoryOptions): Promise<CommitInfo[]> {
    let starts: string[];
    let excluded = new Set<string>();
    if (options.range) {
      const match = /^(.*?)\.\.(.*)$/.exec(options.range);
      if (!match || match[2]!.startsWith('.')) throw new GitError(`${options.range}: the built-in Git engine understands ranges of the form A..B only; install git for other forms`);
      const from = await this.resolveRevision(match[1] || 'HEAD', options.range);
      starts = [await this.resolveRevision(match[2] || 'HEAD', options.range)];
      excluded = await this.reachable([from]);
    } else if (options.branch) {
      starts = [await this.resolveRevision(options.branch, options.branch)];
    } else {
      starts = await this.startRefs();
    }
    const since = options.since !== undefined ? parseSince(options.since) : undefined;
    const commits: CommitInfo[] = [];
    const seen = new Set<string>(excluded);
    const queue = starts.filter((oid) => !seen.has(oid));
    for (const oid of queue) seen.add(oid);
    while (queue.length > 0) {
      const oid = queue.pop()!;
      const commit = await this.readCommit(oid);
      commits.push(commit);
      if (this.shallowSet.has(oid)) continue;
      for (const parent of commit.parents) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        queue.push(parent);
      }
    }
    commits.sort((a, b) => b.committerTime - a.committerTime || (a.oid < b.oid ? -1 : 1));
    const selected = since === undefined ? commits : commits.filter((commit) => commit.committerTime >= since);
    return options.maxCommits !== undefined ? selected.slice(0, options.maxCommits) : selected;
  }

  /** Every ref (branches, tags, remotes, stash, notes) and HEAD, peeled to commits. */
  private async startRefs(): Promise<string[]> {
    const names = ['HEAD', ...(await this.git.listRefs({ fs, gitdir: this.gitdir, filepath: 'refs' }).catch(() => [] as string[])).map((name) => `refs/${name}`)];
    const oids = new Set<string>();
    for (const name of names) {
      const oid = await this.resolve(name).catch(() => undefined);
      const commit = oid ? await this.peel(oid) : undefined;
      if (commit) oids.add(commit);
    }
    return [...oids];
  }

  private async resolveRevision(revision: string, asGiven: string): Promise<string> {
    let oid: string | undefined;
    if (/^[0-9a-f]{4,40}$/i.test(revision)) {
      oid = await this.git.expandOid({ fs, gitdir: this.gitdir, oid: revision.toLowerCase(), cache: this.cache }).catch(() => undefined);
    }
    oid ??= await this.resolve(revision).catch(() => undefined);
    const commit = oid ? await this.peel(oid) : undefined;
    if (!commit) throw new GitError(`${asGiven}: not a revision or range in this repository; give branches, tags or commits, as in main..feature`);
    return commit;
  }

  private resolve(ref: string): Promise<string> {
    return this.git.resolveRef({ fs, gitdir: this.gitdir, ref });
  }

  /** A commit id from a commit or (possibly nested) annotated tag id; undefined for anything else. */
  private async peel(oid: string): Promise<string | undefined> {
    for (let depth = 0; depth < 10; depth++) {
      const object = await this.git.readObject({ fs, gitdir: this.gitdir, oid, cache: this.cache, format: 'parsed' }).catch(() => undefined);
      if (!object) return undefined;
      if (object.type === 'commit') return oid;
      if (object.type !== 'tag') return undefined;
      oid = (object.object as { object: string }).object;
    }
    return undefined;
  }

  private async reachable(starts: string[]): Promise<Set<string>> {
    const seen = new Set<string>(starts);
    const queue = [...starts];
    while (queue.length > 0) {
      const oid = queue.pop()!;
      if (this.shallowSet.has(oid)) continue;
      for (const parent of (await this.readCommit(oid)).parents) {
        if (!seen.has(parent)) {
          seen.add(parent);
          queue.push(parent);
        }
      }
    }
    return seen;
  }

  private async readCommit(oid: string): Promise<CommitInfo> {
    const { commit } = await this.git.readCommit({ fs, gitdir: this.gitdir, oid, cache: this.cache });
    return {
      oid,
      parents: commit.parent,
      tree: commit.tree,
      committerTime: commit.committer.timestamp,
      origin: {
        source: 'history',
        commit: oid,
        author: commit.author.name,
        email: commit.author.email,
        date: isoDate(commit.author.timestamp, commit.author.timezoneOffset),
      },
    };
  }

  // ─── Trees and diffs ───────────────────────────────────────────────────────────────────────────

  /** What a commit changed: against its parent, or (merges) the paths that differ from every parent. */
  private async commitChanges(commit: CommitInfo, parents: string[]): Promise<Change[]> {
    const tree = await this.flatTree(commit.tree);
    if (parents.length <= 1) {
      const before = parents.length === 1 ? await this.flatTree((await this.readCommit(parents[0]!)).tree) : new Map<string, Entry>();
      return pairRenames(diffMaps(before, tree), (oid) => this.blob(oid));
    }
    const parentTrees = await Promise.all(parents.map(async (parent) => this.flatTree((await this.readCommit(parent)).tree)));
    const changes: Change[] = [];
    for (const [path, entry] of tree) {
      if (parentTrees.some((parentTree) => parentTree.get(path)?.oid === entry.oid)) continue;
      changes.push({ path, entry });
    }
    return changes;
  }

  /** The chunks one changed file contributes, after the same skips the native engine makes. */
  private async changeChunks(
    change: Change,
    commit: CommitInfo,
    parents: string[],
    options: HistoryOptions,
    report: GitReport,
    skipped: Set<string>,
  ): Promise<HistoryChunk[] | undefined> {
    const entry = change.entry;
    if (!entry || entry.mode === SUBMODULE_MODE || options.isExcluded(change.path)) return undefined;
    const skip = (why: 'binary' | 'tooLarge' | 'symlink' | 'nonUtf8') => {
      if (!skipped.has(entry.oid)) report.skipped[why]++;
      skipped.add(entry.oid);
      return undefined;
    };
    if (skipped.has(entry.oid)) return undefined;
    const bytes = await this.blob(entry.oid);
    // Old sides: the rename source or same path in each parent (a merge is diffed against all of them).
    const olds: Buffer[] = [];
    if (parents.length > 1) {
      for (const parent of parents) {
        const before = (await this.flatTree((await this.readCommit(parent)).tree)).get(change.path);
        olds.push(before && before.mode !== SUBMODULE_MODE ? await this.blob(before.oid) : Buffer.alloc(0));
      }
    } else {
      olds.push(change.old && change.old.mode !== SUBMODULE_MODE ? await this.blob(change.old.oid) : Buffer.alloc(0));
    }
    // git treats a blob over core.bigFileThreshold, or with a NUL early on, as binary, on either side.
    if (bytes.length > options.maxFileSize) return skip('tooLarge');
    if (isBinary(bytes) || olds.some((old) => old.length > options.maxFileSize || isBinary(old))) return skip('binary');
    const newLines = splitLines(bytes);
    let added: boolean[] | undefined;
    for (const old of olds) {
      const against = addedLines(splitLines(old), newLines);
      added = added ? added.map((flag, index) => flag && against[index]!) : against;
    }
    const runs = toRuns(added!);
    if (runs.length === 0) return undefined;
    if (entry.mode === SYMLINK_MODE) return skip('symlink');
    const chunks = runs.map(([start, end]) => ({
      origin: { path: change.path, ...commit.origin },
      blob: entry.oid,
      bytes: Buffer.concat(newLines.slice(start, end + 1).map((line) => (line[line.length - 1] === 10 ? line : Buffer.concat([line, Buffer.from('\n')])))),
      startLine: start + 1,
      gitLineNumbers: true as const,
    }));
    if (!chunks.every((chunk) => isUtf8(chunk.bytes))) return skip('nonUtf8');
    return chunks;
  }

  /** Every blob and gitlink of a tree, by full path. Memoised per tree id for the walk's duration. */
  private async flatTree(oid: string): Promise<Map<string, Entry>> {
    const cached = this.trees.get(oid);
    if (cached) return cached;
    const entries = new Map<string, Entry>();
    const { tree } = await this.git.readTree({ fs, gitdir: this.gitdir, oid, cache: this.cache });
    for (const item of tree) {
      const mode = Number.parseInt(item.mode, 8);
      if (mode === TREE_MODE) {
        for (const [path, entry] of await this.flatTree(item.oid)) entries.set(`${item.path}/${path}`, entry);
      } else {
        entries.set(item.path, { oid: item.oid, mode });
      }
    }
    // Keep memory bounded on long histories: trees are cheap to re-read from the pack cache.
    if (this.trees.size > 256) this.trees.clear();
    this.trees.set(oid, entries);
    return entries;
  }

  private async blob(oid: string): Promise<Buffer> {
    const { blob } = await this.git.readBlob({ fs, gitdir: this.gitdir, oid, cache: this.cache });
    return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  }
}

// ─── Pure helpers (exported for tests) ───────────────────────────────────────────────────────────

function diffMaps(before: Map<string, Entry>, after: Map<string, Entry>): Change[] {
  const changes: Change[] = [];
  for (const [path, entry] of after) {
    const old = before.get(path);
    if (old?.oid === entry.oid && old.mode === entry.mode) continue;
    if (old && (old.mode === SUBMODULE_MODE) !== (entry.mode === SUBMODULE_MODE)) {
      changes.push({ path }, { path, entry });
      continue;
    }
    changes.push(old ? { path, entry, old } : { path, entry });
  }
  for (const [path, old] of before) if (!after.has(path)) changes.push({ path, old });
  return changes;
}

/**
 * git's rename detection for one diff: an added file is the continuation of a deleted one when their
 * content is identical, or when at least half of it is the same lines (git's default -M50%). Its added
 * lines are then those it does not share with the source.
 */
async function pairRenames(changes: Change[], readBlob: (oid: string) => Promise<Buffer>): Promise<Change[]> {
  const added = changes.filter((change) => change.entry && !change.old && change.entry.mode !== SUBMODULE_MODE);
  const deleted = changes.filter((change) => !change.entry && change.old && change.old.mode !== SUBMODULE_MODE);
  if (added.length === 0 || deleted.length === 0) return changes;
  const used = new Set<Change>();
  for (const change of added) {
    const source = deleted.find((candidate) => !used.has(candidate) && candidate.old!.oid === change.entry!.oid);
    if (source) {
      used.add(source);
      change.old = source.old;
    }
  }
  const unpairedAdded = added.filter((change) => !change.old);
  const unpairedDeleted = deleted.filter((change) => !used.has(change));
  if (unpairedAdded.length > 0 && unpairedDeleted.length > 0 && unpairedAdded.length * unpairedDeleted.length <= RENAME_LIMIT * RENAME_LIMIT) {
    const scores: { change: Change; source: Change; score: number }[] = [];
    for (const change of unpairedAdded) {
      const after = await readBlob(change.entry!.oid);
      if (isBinary(after)) continue;
      for (const source of unpairedDeleted) {
        const before = await readBlob(source.old!.oid);
        if (isBinary(before)) continue;
        const score = similarity(before, after);
        if (score >= RENAME_SCORE) scores.push({ change, source, score });
      }
    }
    scores.sort((a, b) => b.score - a.score);
    for (const { change, source } of scores) {
      if (change.old || used.has(source)) continue;
      used.add(source);
      change.old = source.old;
    }
  }
  return changes.filter((change) => !used.has(change));
}

/** Bytes of lines the two share (as multisets), over the larger size: git's similarity, on lines. */
function similarity(before: Buffer, after: Buffer): number {
  const larger = Math.max(before.length, after.length);
  if (larger === 0) return 1;
  if (Math.min(before.length, after.length) < larger * RENAME_SCORE) return 0;
  const counts = new Map<string, number>();
  for (const line of splitLines(before)) {
    const key = line.toString('latin1');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let shared = 0;
  for (const line of splitLines(after)) {
    const key = line.toString('latin1');
    const count = counts.get(key) ?? 0;
    if (count > 0) {
      counts.set(key, count - 1);
      shared += line.length;
    }
  }
  return shared / larger;
}

function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF).indexOf(0) !== -1;
}

/** Lines with their newline (the last may lack one): git compares them so, "\ No newline" included. */
export function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(10, start);
    const end = newline === -1 ? bytes.length : newline + 1;
    lines.push(bytes.subarray(start, end));
    start = end;
  }
  return lines;
}

/**
 * For each line of `after`, whether a shortest edit script from `before` adds it (Myers' O(ND) diff,
 * after trimming the common head and tail). Past MAX_EDIT_DISTANCE differences (a rewritten file) it
 * stops looking for the shortest script and calls added every line `before` does not have.
 */
export function addedLines(before: Buffer[], after: Buffer[]): boolean[] {
  const ids = new Map<string, number>();
  const id = (line: Buffer) => {
    const key = line.toString('latin1');
    let value = ids.get(key);
    if (value === undefined) ids.set(key, (value = ids.size));
    return value;
  };
  const a = before.map(id);
  const b = after.map(id);
  const added = new Array<boolean>(b.length).fill(false);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if (m === 0) return added;
  if (n === 0) {
    for (let i = head; i < head + m; i++) added[i] = true;
    return added;
  }
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    if (d > MAX_EDIT_DISTANCE) {
      const remaining = new Map<number, number>();
      for (let i = head; i < head + n; i++) remaining.set(a[i]!, (remaining.get(a[i]!) ?? 0) + 1);
      for (let j = head; j < head + m; j++) {
        const count = remaining.get(b[j]!) ?? 0;
        if (count > 0) remaining.set(b[j]!, count - 1);
        else added[j] = true;
      }
      return added;
    }
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[head + x] === b[head + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        backtrack(trace, d, n, m, (j) => (added[head + j] = true));
        return added;
      }
    }
  }
  return added;
}

/** Walks the saved frontiers back from (n, m), reporting each inserted line of `after`. */
function backtrack(trace: Int32Array[], depth: number, n: number, m: number, inserted: (j: number) => void): void {
  let x = n;
  let y = m;
  for (let d = depth; d > 0; d--) {
    const frontier = trace[d]!; // the frontier after d - 1 steps, indexed from k = -d - 1
    const at = (k: number) => frontier[k + d + 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
    }
    if (down) inserted(previousY);
    x = previousX;
    y = previousY;
  }
}

/** Consecutive true indexes as inclusive [start, end] pairs (0-based). */
function toRuns(flags: boolean[]): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < flags.length; i++) {
    if (!flags[i]) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  }
  return runs;
}

/** `%aI`: strict ISO 8601 in the author's own offset, as git prints it. */
function isoDate(timestamp: number, timezoneOffset: number): string {
  const offsetMinutes = -timezoneOffset;
  const local = new Date((timestamp + offsetMinutes * 60) * 1000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}

function parseSince(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new GitError(`--since ${text}: the built-in Git engine understands dates such as 2024-01-31 only; install git for "2 weeks ago" and the like`);
  return Math.floor(ms / 1000);
}
