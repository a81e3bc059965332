/**
 * CI files a scan sees in pieces, or too late, checked whole:
 *
 * - CiHistory: Git history hands over only the lines each commit added, but a pipeline's problems are in its
 *   structure (a trigger here, a checkout there). Chunks of CI files are held back; after the history walk,
 *   each version (commit × path) is read whole by blob id through the engine's one blob reader, goes through
 *   the detectors and the CI checks like a working-tree CI file, and keeps what touches the lines that commit
 *   added: a problem is reported once, at the commit that introduced it, not at every commit that edits the
 *   file later.
 * - GitlabIncludes: a file a GitLab pipeline includes (`include: local:`) is GitLab configuration whatever
 *   its name, which is only known once the including file has been read; the walk may have passed it by then.
 *
 * (A staged CI file comes whole with its added lines: scan.ts checks it like a working-tree one and keeps
 * what touches them.) Light to import: the checks and the YAML parser load with the first file checked.
 */
import type { Candidate, ChunkOrigin, ScanError } from '../types.js';
import { isSecret } from '../report/redact.js';
import { touchesLines } from '../detect/around.js';
import type { RuleSpec } from '../types.js';
import { ciPlatformOf, globMatches, hasContentMarker, mayBeCiByContent, type CiPlatform } from './files.js';

type CiModule = typeof import('./index.js');
let ciModule: Promise<CiModule> | undefined;
/**
 * The CI checks, and the `yaml` package they need for YAML the plain parser declines: the checks here run
 * synchronously over many versions, and history scans are long, so it is loaded with them.
 */
const loadChecks = (): Promise<CiModule> =>
  (ciModule ??= import('./index.js').then(async (ci) => {
    await ci.loadYamlPackage();
    return ci;
  }));

/** The detectors over one whole text (the caller's Detector). */
export type DetectText = (origin: ChunkOrigin, text: string) => Candidate[];

/** One place a text is reported at, and (history, staged) the lines its change added (1-based, inclusive). */
export interface FileVersion {
  origin: ChunkOrigin;
  added?: readonly [number, number][];
}

interface WholeFile {
  path: string;
  text: string;
  platform: CiPlatform;
  /** Every version holding this exact text (the same blob reached by several commits). */
  versions: readonly FileVersion[];
  detect: DetectText;
  /** The detectors have already reported this file: keep only the CI checks' own candidates. */
  ciOnly: boolean;
}

/**
 * The detectors and CI checks over one whole file, reconciled as for a working-tree CI file (references
 * dropped, literal-value checks yielding to detector hits), then spread over its versions, keeping for each
 * what touches its added lines.
 */
function checkWhole(ci: CiModule, file: WholeFile): { candidates: Candidate[]; errors: ScanError[]; includes: string[]; problems: Candidate[] } {
  const first = file.versions[0]!.origin;
  const where = first.commit ? `${file.path} (${first.commit.slice(0, 12)})` : file.path;
  const result = ci.runCiChecks({ path: file.path, text: file.text }, { platform: file.platform, origin: first });
  let detected: Candidate[];
  try {
    detected = file.detect(first, file.text);
  } catch (error) {
    return { candidates: [], errors: [{ path: where, message: `detection failed: ${(error as Error).message}; skipped` }], includes: [], problems: result.candidates };
  }
  let kept = ci.reconcileCandidates(detected, result);
  if (file.ciOnly) {
    const own = new Set(result.candidates);
    kept = kept.filter((candidate) => own.has(candidate));
  }
  const candidates: Candidate[] = [];
  for (const version of file.versions) {
    for (const candidate of kept) {
      if (version.added && !touchesLines(version.added, candidate.line, candidate.endLine)) continue;
      candidates.push(version.origin === first ? candidate : { ...candidate, origin: version.origin });
    }
  }
  return { candidates, errors: result.errors.map((error) => ({ ...error, path: where })), includes: result.includes, problems: result.candidates };
}

// ─── History ────────────────────────────────────────────────────────────────────────────────────

/** What CiHistory needs of a history chunk (sources/git.ts HistoryChunk). */
export interface CiChunk {
  origin: ChunkOrigin;
  bytes: Uint8Array;
  startLine: number;
  blob?: string;
}

interface HistoryVersion {
  origin: ChunkOrigin;
  blob: string;
  added: [number, number][];
  /** Held-back chunks: detected as they are if the blob cannot be read (a partial clone). */
  chunks?: CiChunk[];
}

export interface CiHistoryIo {
  /** One reader for every blob (sources/git.ts GitRepository.readBlobs). */
  readBlobs: (ids: readonly string[], each: (id: string, bytes: Buffer) => void) => Promise<void>;
  /** HEAD's blobs by path, of the paths `wanted` accepts (GitRepository.blobsAtHead). */
  blobsAtHead: (wanted: (path: string) => boolean) => Promise<Map<string, string>>;
  detect: DetectText;
  add: (candidate: Candidate) => void;
  errors: ScanError[];
  /** The ordinary path for a held-back chunk whose blob could not be read. */
  detectChunk: (chunk: CiChunk) => void;
}

/**
 * `path`: a CI or agent config by its path, held back and checked whole. `sniff`: YAML, JSON or TOML, CI
 * configuration only if its content says so (Tekton, Argo, an MCP table).
 */
type Kind = 'path' | 'sniff' | 'none';

export class CiHistory {
  private readonly byPath = new Map<string, HistoryVersion>();
  private readonly sniffable = new Map<string, HistoryVersion>();
  /** Paths whose added lines, in some commit, held a content marker. */
  private readonly contentPaths = new Set<string>();
  private lastPath: string | undefined;
  private lastKind: Kind = 'none';
  /** `ruleId \0 description` of the posture problems HEAD's CI files still have; set by check(). */
  private headProblems: Set<string> | undefined;

  /**
   * Notes a history chunk. True when the chunk is held back (a CI file by its path, to be checked whole):
   * the caller must not detect it now. Files CI only by content are detected as usual, and get the CI checks
   * afterwards if some commit's added lines show the marker (their creation, usually).
   */
  take(chunk: CiChunk): boolean {
    if (chunk.blob === undefined) return false;
    const { path } = chunk.origin;
    const kind = this.kindOf(path);
    if (kind === 'none') return false;
    const key = `${chunk.origin.commit ?? ''}\0${path}`;
    const versions = kind === 'path' ? this.byPath : this.sniffable;
    let version = versions.get(key);
    if (!version) {
      version = { origin: chunk.origin, blob: chunk.blob, added: [], ...(kind === 'path' ? { chunks: [] } : {}) };
      versions.set(key, version);
    }
    version.added.push([chunk.startLine, chunk.startLine + Math.max(1, countLines(chunk.bytes)) - 1]);
    if (version.chunks) {
      version.chunks.push(chunk);
      return true;
    }
    if (!this.contentPaths.has(path) && hasContentMarker(chunk.bytes)) this.contentPaths.add(path);
    return false;
  }

  /** Reads the versions noted, each distinct blob once, and adds what the checks find on added lines. */
  async check(io: CiHistoryIo): Promise<void> {
    const versions = [...this.byPath.values(), ...[...this.sniffable.values()].filter((version) => this.contentPaths.has(version.origin.path))];
    if (versions.length === 0) return;
    const ci = await loadChecks();
    const byBlob = new Map<string, HistoryVersion[]>();
    for (const version of versions) {
      const list = byBlob.get(version.blob);
      if (list) list.push(version);
      else byBlob.set(version.blob, [version]);
    }
    // presentAtHead for posture problems: whether HEAD's version of some CI file still has the problem. (A
    // secret is looked for in HEAD's files as text; a description of a problem is not in any file.)
    this.headProblems = new Set();
    const atHead = new Map<string, string[]>();
    for (const [path, blob] of await io.blobsAtHead((path) => this.kindOf(path) === 'path' || this.contentPaths.has(path))) {
      const paths = atHead.get(blob);
      if (paths) paths.push(path);
      else atHead.set(blob, [path]);
    }
    const read = new Set<string>();
    const decoder = new TextDecoder('utf-8');
    await io.readBlobs([...new Set([...byBlob.keys(), ...atHead.keys()])], (blob, bytes) => {
      const text = decoder.decode(bytes);
      // Each id is asked for once, so each blob comes once.
      const holders = byBlob.get(blob);
      read.add(blob);
      // HEAD's version is usually one of the versions checked below: its problems are noted from that check.
      const headPaths = atHead.get(blob) ?? [];
      for (const path of headPaths) if (!holders?.some((version) => version.origin.path === path)) this.noteHead(ci, path, text);
      if (!holders) return;
      // The same content at several paths (a copied workflow) is checked per path: the path picks the platform.
      for (const [path, group] of groupBy(holders, (version) => version.origin.path)) {
        const ciOnly = !group[0]!.chunks;
        const platform = ciPlatformOf(path, text);
        if (!platform) {
          if (!ciOnly) group.forEach((version) => version.chunks!.forEach(io.detectChunk));
          continue;
        }
        const found = checkWhole(ci, { path, text, platform, versions: group, detect: io.detect, ciOnly });
        if (headPaths.includes(path)) for (const problem of found.problems) this.headProblems!.add(`${problem.ruleId}\0${problem.secret}`);
        found.candidates.forEach(io.add);
        io.errors.push(...found.errors);
      }
    });
    // Blobs the repository does not have (a partial or broken clone): the added lines still get the detectors.
    for (const [blob, holders] of byBlob) {
      if (read.has(blob)) continue;
      for (const version of holders) version.chunks?.forEach(io.detectChunk);
    }
  }

  /**
   * For a posture problem found in history, whether HEAD's CI files still have it; undefined for a secret
   * (the caller looks for it in HEAD's files) or when check() found nothing to check.
   */
  presentAtHead(finding: { rule: RuleSpec & { secret?: boolean }; secret: string }): boolean | undefined {
    if (!this.headProblems || isSecret(finding)) return undefined;
    return this.headProblems.has(`${finding.rule.id}\0${finding.secret}`);
  }

  private noteHead(ci: CiModule, path: string, text: string): void {
    const platform = ciPlatformOf(path, text);
    if (!platform) return;
    const result = ci.runCiChecks({ path, text }, { platform });
    for (const candidate of result.candidates) this.headProblems!.add(`${candidate.ruleId}\0${candidate.secret}`);
  }

  private kindOf(path: string): Kind {
    if (path === this.lastPath) return this.lastKind;
    this.lastPath = path;
    this.lastKind = ciPlatformOf(path) !== undefined ? 'path' : mayBeCiByContent(path) ? 'sniff' : 'none';
    return this.lastKind;
  }
}

function countLines(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) count++;
  // A last line without a newline (the end of a file) is a line too.
  return bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? count + 1 : count;
}


function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}

// ─── GitLab includes ────────────────────────────────────────────────────────────────────────────

export interface IncludesIo {
  /** A file's bytes by reported path; undefined if it cannot be read any more. */
  read: (path: string) => Uint8Array | undefined;
  detect: DetectText;
  add: (candidate: Candidate) => void;
  errors: ScanError[];
  /** `secretscan ci`: the walk skipped these files, so the detectors' candidates are wanted too. */
  withDetectors: boolean;
  source: ChunkOrigin['source'];
}

/**
 * Local includes of the GitLab pipelines a walk met, and the YAML files it passed as not CI configuration;
 * after the walk, check() reads those an include names as GitLab files (and the files they include).
 */
export class GitlabIncludes {
  /** Patterns with the folder they are relative to (the project root of the pipeline that wrote them). */
  private readonly patterns: { root: string; pattern: string }[] = [];
  private readonly passed = new Set<string>();
  /** Project roots of files checked because of an include: their own includes are relative to it. */
  private readonly rootOf = new Map<string, string>();

  /** A CI file the walk read: if it is a GitLab pipeline, remember what it includes. */
  found(path: string, result: { platform?: CiPlatform; includes: readonly string[] }): void {
    if (result.platform !== 'gitlab' || result.includes.length === 0) return;
    const root = this.rootOf.get(path) ?? projectRoot(path);
    for (const pattern of result.includes) this.patterns.push({ root, pattern });
  }

  /** A file the walk did not take for CI configuration. */
  pass(path: string): void {
    if (/\.ya?ml$/i.test(path)) this.passed.add(path);
  }

  /** Checks the passed files that an include names, until no include names another. Returns how many. */
  async check(io: IncludesIo): Promise<{ files: number; bytes: number }> {
    const counted = { files: 0, bytes: 0 };
    const decoder = new TextDecoder('utf-8');
    for (let next = this.matched(); next.length > 0; next = this.matched()) {
      const ci = await loadChecks();
      for (const { path, root } of next) {
        this.passed.delete(path);
        this.rootOf.set(path, root);
        const bytes = io.read(path);
        if (!bytes) continue;
        counted.files++;
        counted.bytes += bytes.length;
        const text = decoder.decode(bytes);
        const found = checkWhole(ci, { path, text, platform: 'gitlab', versions: [{ origin: { path, source: io.source } }], detect: io.detect, ciOnly: !io.withDetectors });
        found.candidates.forEach(io.add);
        io.errors.push(...found.errors);
        this.found(path, { platform: 'gitlab', includes: found.includes });
      }
    }
    return counted;
  }

  private matched(): { path: string; root: string }[] {
    const matched: { path: string; root: string }[] = [];
    for (const path of this.passed) {
      const include = this.patterns.find(({ root, pattern }) => (root === '' || path.startsWith(`${root}/`)) && globMatches(pattern, root === '' ? path : path.slice(root.length + 1)));
      if (include) matched.push({ path, root: include.root });
    }
    return matched;
  }
}

/**
 * The folder a pipeline's local includes are relative to: the repository root, which for a scan of a parent
 * folder is where `.gitlab-ci.yml` sits (or the folder holding `.gitlab/`).
 */
function projectRoot(path: string): string {
  const nested = /^(.*?)(?:^|\/)\.gitlab\/ci\//.exec(path);
  if (nested) return nested[1]!;
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}
