/**
 * The pipeline (DESIGN §1), top to bottom:
 *
 *   sources ─Chunk─▶ detect ─Candidate─▶ group ─Finding─▶ suppress ─▶ score ─ScoredFinding─▶ (report)
 *
 * scan() returns secrets in clear; the CLI redacts them once (report/redact.ts) before any reporter.
 *
 * Sources: the working tree (files), stdin, Git history (`git`: runs of lines each commit added) and the
 * staged snapshot (`staged`: whole staged files, keeping only candidates that touch an added line).
 */
import { resolve, dirname, join } from 'node:path';
import { readFileSync, statSync } from 'node:fs';
import createIgnore from 'ignore';
import { loadConfig, type ResolvedConfig } from './config/load.js';
import { couldBeCiConfig, ciPlatformOf, hasContentMarker, type CiPlatform } from './ci/files.js';
import { ciRuleSpecs } from './ci/rules.js';
import { CiHistory, GitlabIncludes } from './ci/versions.js';
import { detectAroundLines, touchesLines, type LineRange } from './detect/around.js';
import { decode, Detector } from './detect/detector.js';
import { AUTO_THRESHOLD_BYTES, AUTO_THRESHOLD_MS, DetectionPool, workerCount } from './detect/pool.js';
import { FindingGrouper } from './findings/group.js';
import type { PathRules } from './detect/path-rules.js';
import { compilePathRules, compileRules, isVetted, loadBuiltinRules, loadRuleSource } from './rules/load.js';
import { scoreFindings } from './score/score.js';
import { newGitReport, openRepository, type EngineChoice } from './sources/git.js';
import { worktreeFiles, type WorktreeFile } from './sources/worktree.js';
import { hasUtf16Bom } from './util/bom.js';
import { monotonicMs } from './util/clock.js';
import { namesAFolder } from './util/folders.js';
import { Allowlist } from './suppress/allowlist.js';
import { applyBaseline, type Baseline } from './suppress/baseline.js';
import { suppress } from './suppress/suppress.js';
import { SEVERITIES, type RuleSpec, type ScanError, type ScanKind, type ScanResult, type ScanStats, type ScoredFinding, type SkippedCounts } from './types.js';

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

export interface ScanOptions {
  kind: Extract<ScanKind, 'worktree' | 'stdin' | 'git' | 'staged' | 'ci'>;
  /** Folder that relative paths are resolved against (the CLI's cwd). */
  cwd: string;
  /** worktree: files and folders to scan (default: cwd). */
  targets?: string[];
  /** stdin: the bytes read, and the path to report them under. */
  input?: { bytes: Uint8Array; path: string };
  /** --config; otherwise searched for from the first target. */
  configPath?: string;
  /** --rules: extra rule files or folders. */
  rulePaths?: string[];
  /** --exclude, added to the config's. */
  exclude?: string[];
  maxFileSize?: number;
  /** Threads that detect (main thread included); default: more than one only for large scans. */
  jobs?: number;
  /** git and staged: the repository (a path inside it; default: cwd) and which part of its history. */
  git?: GitScanOptions;
  /**
   * Accepted findings (--baseline), dropped after inline and allowlist suppression and before scoring.
   * May still be loading (its default location depends on the config): awaited when suppression runs.
   */
  baseline?: Baseline | Promise<Baseline | undefined>;
  /** Called after each file (each chunk of history), for progress display. */
  onProgress?: (progress: { files: number; bytes: number; path: string; commits?: number }) => void;
}

export interface GitScanOptions {
  repo?: string;
  /** `A..B`: only commits in the range (CI: the pushed or pull-request commits). */
  range?: string;
  /** Only commits reachable from this ref. */
  branch?: string;
  since?: string;
  maxCommits?: number;
  /** Which engine reads the repository; `auto` (default) is native git, isomorphic-git if git is missing. */
  engine?: EngineChoice;
}

/** Everything a scan needs that does not depend on the input: config, compiled rules, allowlist. */
export interface ScanSetup {
  config: ResolvedConfig;
  detector: Detector;
  /** Rules that judge a file by its path (key stores): once per file, binary files included. */
  pathRules: PathRules;
  rules: RuleSpec[];
  allowlist: Allowlist;
}

export async function prepareScan(options: Pick<ScanOptions, 'cwd' | 'targets' | 'configPath' | 'rulePaths' | 'git'>): Promise<ScanSetup> {
  const firstTarget = resolve(options.cwd, options.git?.repo ?? options.targets?.[0] ?? '.');
  const config = await loadConfig({ explicitPath: options.configPath, searchFrom: directoryOf(firstTarget) });
  const specs = [...(await loadBuiltinRules()), ...config.rules];
  for (const path of options.rulePaths ?? []) specs.push(...(await loadRuleSource(resolve(options.cwd, path), { builtin: false })));
  const disabled = new Set(config.file.disableRules ?? []);
  const enabled = specs.filter((spec) => !disabled.has(spec.id));
  const compiled = await compileRules(enabled);
  const pathRules = await compilePathRules(enabled);
  const allowlist = await Allowlist.create(config.file.allowlist, config.filepath ?? 'config');
  // CI checks are code, not patterns: their metadata joins the rules in force (for reports) unless
  // the config turns them off with `ci: false`.
  const ciRules = config.file.ci === false ? [] : ciRuleSpecs().filter((rule) => !disabled.has(rule.id));
  return { config, detector: new Detector(compiled), pathRules, rules: [...compiled.map((rule) => rule.spec), ...pathRules.specs, ...ciRules], allowlist };
}

/** `setup` may still be loading: a staged scan starts git first and waits for it after (the hook path). */
export async function scan(options: ScanOptions, setup?: ScanSetup | Promise<ScanSetup>): Promise<ScanResult> {
  const started = monotonicMs();
  const isGit = options.kind === 'git' || options.kind === 'staged';
  // Counters, errors and notices the sources fill in as they go.
  const sourceReport = newGitReport();
  // nonUtf8 is a count only the Git sources make; other reports keep the shape they had.
  if (!isGit) delete (sourceReport.skipped as SkippedCounts).nonUtf8;
  const repository = isGit ? await openRepository(resolve(options.cwd, options.git?.repo ?? '.'), sourceReport, options.git?.engine) : undefined;
  // Limits for the Git sources, filled in below once the configuration is known; they read them late.
  const gitLimits = { maxFileSize: DEFAULT_MAX_FILE_SIZE, isExcluded: (_path: string): boolean => false };
  const staged = options.kind === 'staged' ? repository!.staged(gitLimits, sourceReport) : undefined;

  // A scan of a folder is usually large enough for a worker. Started here, it boots (~100-250 ms) while
  // this thread loads the configuration and rules, instead of after the walk has found it worth one.
  // The launcher may have started one even sooner, before the CLI loaded (src/early.ts).
  const startedEarly = DetectionPool.takeEarly();
  const wantsWorker = options.kind === 'worktree' && options.jobs !== 1 && namesAFolder(options.targets ?? [], options.cwd);
  if (startedEarly && !wantsWorker) void startedEarly.close();
  const early = wantsWorker ? (startedEarly ?? DetectionPool.start(workerCount(options.jobs))) : undefined;
  let prepared: ScanSetup;
  try {
    prepared = await (setup ?? prepareScan(options));
  } catch (error) {
    await early?.close();
    throw error;
  }
  const { config, detector, pathRules, rules, allowlist } = prepared;
  const grouper = new FindingGrouper(new Map(rules.map((rule) => [rule.id, rule])));
  const targets = (options.targets?.length ? options.targets : ['.']).map((target) => resolve(options.cwd, target));
  const root = repository?.root ?? (options.kind === 'stdin' ? options.cwd : scanRoot(targets, options.cwd));
  const maxFileSize = options.maxFileSize ?? config.file.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const exclude = [...(config.file.exclude ?? []), ...(options.exclude ?? [])];
  Object.assign(gitLimits, { maxFileSize, isExcluded: excludeMatcher(exclude) });
  const stats: ScanStats = {
    kind: options.kind,
    root,
    durationMs: 0,
    filesScanned: 0,
    bytesScanned: 0,
    commitsScanned: 0,
    blobsScanned: 0,
    skipped: sourceReport.skipped,
    ...(repository ? { git: { engine: repository.engine, shallow: repository.shallow } } : {}),
  };
  const report = { skipped: stats.skipped, errors: sourceReport.errors };

  // History holds back chunks of CI files and checks them whole after the walk (ci/versions.ts).
  const ciHistory = options.kind === 'git' && config.file.ci !== false ? new CiHistory() : undefined;

  // 1-3. source → detect → group
  if (options.kind === 'stdin') {
    const { bytes, path } = options.input!;
    detectInto({ origin: { path, source: 'stdin' }, bytes }, detector, grouper, report.errors);
    stats.filesScanned = 1;
    stats.bytesScanned = bytes.length;
  } else if (staged) {
    for await (const file of staged) {
      // A staged CI file gets the CI checks too, kept on the lines the change adds.
      const ciFile = { path: file.origin.path, bytes: file.bytes };
      const handledAsCi = config.file.ci !== false && couldBeCiConfig(ciFile.path) && (await scanCiFile(ciFile, 'staged', detector, grouper, report, { added: file.addedLines }));
      if (!handledAsCi) detectInto(file, detector, grouper, sourceReport.errors, file.addedLines);
      options.onProgress?.({ files: sourceReport.files, bytes: sourceReport.bytes, path: file.origin.path });
    }
    Object.assign(stats, { filesScanned: sourceReport.files, bytesScanned: sourceReport.bytes, blobsScanned: sourceReport.blobs });
  } else if (repository) {
    const { range, branch, since, maxCommits } = options.git ?? {};
    for await (const chunk of repository.history({ ...gitLimits, range, branch, since, maxCommits }, sourceReport)) {
      if (!ciHistory?.take(chunk)) detectInto(chunk, detector, grouper, sourceReport.errors);
      options.onProgress?.({ files: sourceReport.files, bytes: sourceReport.bytes, path: chunk.origin.path, commits: sourceReport.commits });
    }
    await ciHistory?.check({
      readBlobs: (ids, each) => repository.readBlobs(ids, each, sourceReport.errors),
      detect: (origin, text) => detector.detect({ origin, text }),
      add: (candidate) => grouper.add(candidate),
      errors: sourceReport.errors,
      detectChunk: (chunk) => detectInto(chunk, detector, grouper, sourceReport.errors),
      blobsAtHead: (wanted) => repository.blobsAtHead(wanted, sourceReport.errors),
    });
    Object.assign(stats, {
      filesScanned: sourceReport.files,
      bytesScanned: sourceReport.bytes,
      commitsScanned: sourceReport.commits,
      blobsScanned: sourceReport.blobs,
    });
  } else {
    const keepBinary = options.kind === 'ci' ? undefined : (path: string) => pathRules.wants(path);
    const onlyPaths = options.kind === 'ci' ? couldBeCiConfig : undefined;
    const jobs = options.jobs ?? config.file.jobs;
    let pool: DetectionPool | undefined;
    // What a worker is given to detect with: the rules in force, and which run on V8 (the built-in ones).
    const workerRules = detector.rules.map((rule) => rule.spec);
    const workerRulesVetted = workerRules.map(isVetted);
    if (early && jobs === 1) await early.close();
    else if (early) {
      early.useRules(workerRules, workerRulesVetted);
      pool = early;
    }
    // A file this thread will detect itself is read into one reused buffer; not one a worker may take
    // (its bytes move to the worker whole). A CI file read into it is copied when it is held back.
    let readBuffer = Buffer.alloc(0);
    const lend = (_path: string, size: number): Buffer | undefined => {
      if (pool?.hasRoom()) return undefined;
      if (readBuffer.length < size) readBuffer = Buffer.allocUnsafeSlow(Math.max(size, 64 * 1024, Math.min(2 * readBuffer.length, maxFileSize)));
      return readBuffer;
    };
    const files = worktreeFiles({ targets, root, exclude, maxFileSize, keepBinary, onlyPaths, lend }, report);
    let poolConsidered = early !== undefined;
    const inFlight = new Set<Promise<void>>();
    const detectHere = (path: string, bytes: Uint8Array) => detectInto({ origin: { path, source: 'worktree' }, bytes }, detector, grouper, report.errors);
    const ciEnabled = options.kind === 'ci' || config.file.ci !== false;
    const includes = ciEnabled ? new GitlabIncludes() : undefined;
    const heldCi: { file: { path: string; bytes: Uint8Array }; platform: CiPlatform; errors: ScanError[] }[] = [];
    let heldCiBytes = 0;
    // Their errors join the report after the walk's, in walk order: when each is checked depends on timing.
    const ciErrors: ScanError[][] = [];
    const checkHeldCi = async (count = heldCi.length) => {
      for (const { file, platform, errors } of heldCi.splice(0, count)) {
        heldCiBytes -= file.bytes.length;
        await checkCiFile(file, platform, options.kind === 'ci' ? 'ci' : 'worktree', detector, grouper, { errors }, { includes });
      }
    };
    // One file of the walk, in its own function: as part of scan() the loop made V8 compile all of
    // scan() when it optimized it (~150 ms of compiler time a run).
    // Not async: a promise only when it has to wait (a held CI check), not one for every file.
    const counted = (size: number, path: string) => {
      stats.filesScanned++;
      stats.bytesScanned += size;
      options.onProgress?.({ files: stats.filesScanned, bytes: stats.bytesScanned, path });
    };
    const handleFile = (file: WorktreeFile): Promise<void> | undefined => {
      // Path rules first: a binary file (a key store) is yielded only for them, and its text is never read.
      if (options.kind !== 'ci') for (const candidate of pathRules.detect({ path: file.path, source: 'worktree' }, file.bytes)) grouper.add(candidate);
      if (file.binary) return;
      // CI and agent configs get the detectors and the platform-aware checks, on this thread (they are
      // small); `secretscan ci` looks at nothing else. The checks wait (up to CI_HELD_BYTES of files)
      // until the workers have full queues or the walk ends: a repository's workflows come first in its
      // walk, and checking them then kept a worker idle that the walk could already feed.
      const platform = ciEnabled && couldBeCiConfig(file.path) ? sniffCiPlatform(file, report) : undefined;
      if (platform === undefined) includes?.pass(file.path);
      if (platform !== undefined || options.kind === 'ci') {
        if (platform !== undefined) {
          stats.filesScanned++;
          stats.bytesScanned += file.bytes.length;
        }
        if (platform) {
          const errors: ScanError[] = [];
          const bytes = file.bytes.buffer === readBuffer.buffer ? Buffer.from(file.bytes) : file.bytes;
          heldCi.push({ file: { path: file.path, bytes }, platform, errors });
          ciErrors.push(errors);
          heldCiBytes += file.bytes.length;
          if (heldCiBytes > CI_HELD_BYTES) return checkHeldCi();
        }
        return;
      }
      if (!poolConsidered && (jobs !== undefined ? jobs > 1 : stats.bytesScanned >= AUTO_THRESHOLD_BYTES || monotonicMs() - started >= AUTO_THRESHOLD_MS)) {
        poolConsidered = true;
        pool = DetectionPool.create(workerRules, workerRulesVetted, workerCount(jobs));
      }
      // The pool takes the bytes (they move to the worker without a copy): read the size first.
      const size = file.bytes.length;
      // Bytes in the lent buffer stay here: a view into it would be copied whole to the worker.
      const submitted = file.bytes.buffer === readBuffer.buffer ? undefined : pool?.trySubmit({ path: file.path, source: 'worktree' }, file.bytes);
      if (submitted) {
        const { path } = file;
        const settled: Promise<void> = submitted
          .then(
            (candidates) => candidates.forEach((candidate) => grouper.add(candidate)),
            (error: Error & { retryInline?: boolean }) => {
              // A worker died with the file: read it again and detect it here.
              const again = error.retryInline ? readIfFile(resolve(root, path)) : undefined;
              if (again) detectHere(path, again);
              else report.errors.push({ path, message: `detection failed: ${error.message}; skipped` });
            },
          )
          .finally(() => inFlight.delete(settled));
        inFlight.add(settled);
      } else if (pool && heldCi.length > 0) {
        // Every worker has a full queue: a good moment for a CI check held back, as well.
        return checkHeldCi(1).then(() => {
          detectHere(file.path, file.bytes);
          counted(size, file.path);
        });
      } else detectHere(file.path, file.bytes);
      counted(size, file.path);
      return undefined;
    };
    // Workers are stopped however the walk ends: an open worker keeps the process alive.
    try {
      for await (const file of files) {
        const waiting = handleFile(file);
        if (waiting) await waiting;
      }
      // The walk is done: the CI checks held back, then what a worker has not been sent yet, are quicker
      // done here than waited for.
      await checkHeldCi();
      for (const errors of ciErrors) report.errors.push(...errors);
      pool?.takeBackUnsent((origin, bytes) => detector.detect({ origin, bytes }));
      await Promise.all(inFlight);
    } finally {
      await pool?.close();
    }
    // Files a GitLab pipeline includes, whatever their names, now that every pipeline has been read.
    const included = await includes?.check({
      read: (path) => readIfFile(join(root, path)),
      detect: (origin, text) => detector.detect({ origin, text }),
      add: (candidate) => grouper.add(candidate),
      errors: report.errors,
      withDetectors: options.kind === 'ci',
      source: options.kind === 'ci' ? 'ci' : 'worktree',
    });
    if (included && options.kind === 'ci') {
      stats.filesScanned += included.files;
      stats.bytesScanned += included.bytes;
    }
  }

  // 4. suppress, before scoring so suppressed occurrences never raise a score
  const { kept: allowed, suppressed } = suppress(grouper.result(), allowlist);
  const baseline = await options.baseline;
  const baselined = baseline ? applyBaseline(allowed, baseline) : undefined;
  const kept = baselined?.kept ?? allowed;
  suppressed.baseline = baselined?.suppressedOccurrences ?? 0;

  // 4b. presentAtHead: for history, one pass over HEAD's files for all remaining secrets at once (not
  // for the CI posture problems CiHistory answers: a description is in no file, so the pass would read
  // every blob looking for it)
  const lookedFor = kept.filter((finding) => ciHistory?.presentAtHead(finding) === undefined).map((finding) => finding.secret);
  const atHead = options.kind === 'git' ? await repository!.secretsAtHead([...new Set(lookedFor)], maxFileSize, report.errors) : undefined;
  const located = kept.map((finding) => ({ ...finding, presentAtHead: atHead ? (ciHistory?.presentAtHead(finding) ?? atHead.has(finding.secret)) : true }));

  // 5. score, then a deterministic order: severity, path, line
  const findings = scoreFindings(located).map(sortOccurrences).sort(compareFindings);

  stats.durationMs = Math.round(monotonicMs() - started);
  return {
    stats,
    findings,
    suppressed,
    errors: report.errors,
    notices: sourceReport.notices,
    rules,
    ...(baselined ? { baseline: { known: baselined.known, expired: baselined.expired.map((entry) => entry.message) } } : {}),
  };
}

/**
 * One chunk (a file, a run of added lines, a staged file) through the detector into the grouper. A
 * failure is reported against the chunk and the scan goes on. With `onlyLines` (a staged file's added
 * lines), only candidates touching them, looked for around them (around.ts).
 */
function detectInto(
  input: Parameters<Detector['detect']>[0],
  detector: Detector,
  grouper: FindingGrouper,
  errors: ScanResult['errors'],
  onlyLines?: readonly LineRange[],
): void {
  try {
    const candidates = onlyLines ? detectAroundLines(detector, input, onlyLines) : detector.detect(input);
    for (const candidate of candidates) grouper.add(candidate);
  } catch (error) {
    const where = input.origin.commit ? `${input.origin.path} (${input.origin.commit.slice(0, 12)})` : input.origin.path;
    errors.push({ path: where, message: `detection failed: ${(error as Error).message}; skipped` });
  }
}

/** Exclude globs (gitignore syntax) as a predicate on repository-relative paths. */
function excludeMatcher(globs: string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const matcher = createIgnore().add(globs);
  return (path) => matcher.ignores(path);
}

let ciModule: Promise<typeof import('./ci/index.js')> | undefined;
/** As much of a file as ciPlatformOf looks at when it recognises a file by content. */
const CI_SNIFF_BYTES = 256 * 1024;
/** CI files held in memory for their checks at most, before they are checked on the spot. */
const CI_HELD_BYTES = 8 * 1024 * 1024;

/**
 * A CI or agent configuration file: detector candidates reconciled with the CI checks (references and
 * encrypted values dropped, literal-value checks merged with detector hits on the same value). False
 * when the file is not one after all; the caller scans it as an ordinary file.
 */
async function scanCiFile(
  file: { path: string; bytes: Uint8Array },
  source: 'ci' | 'worktree' | 'staged',
  detector: Detector,
  grouper: FindingGrouper,
  report: { errors: ScanResult['errors'] },
  /** added: a staged file's added lines (only candidates touching them are kept); includes: GitLab's. */
  extra: { added?: readonly [number, number][]; includes?: GitlabIncludes } = {},
): Promise<boolean> {
  const platform = sniffCiPlatform(file, report);
  if (platform === undefined) return false;
  if (platform !== null) await checkCiFile(file, platform, source, detector, grouper, report, extra);
  return true;
}

/**
 * Which CI platform a candidate file configures: undefined when none (an ordinary file), null when the
 * file could not be looked at (reported; skipped). Most candidates (any JSON or YAML file) are settled by
 * their head alone: only that is decoded, so a file that is not CI configuration is decoded once, by the
 * detector, not twice.
 */
function sniffCiPlatform(file: { path: string; bytes: Uint8Array }, report: { errors: ScanResult['errors'] }): CiPlatform | null | undefined {
  try {
    const head = file.bytes.subarray(0, CI_SNIFF_BYTES);
    // Without a content marker in its bytes, a file is CI configuration by its path or not at all: most
    // candidates (any YAML or JSON file) are settled here, undecoded. UTF-16 is decoded to be looked at.
    if (!hasUtf16Bom(head) && !hasContentMarker(head)) return ciPlatformOf(file.path);
    return ciPlatformOf(file.path, decode(head).text);
  } catch (error) {
    report.errors.push({ path: file.path, message: `detection failed: ${(error as Error).message}; skipped` });
    return null;
  }
}

async function checkCiFile(
  file: { path: string; bytes: Uint8Array },
  platform: CiPlatform,
  source: 'ci' | 'worktree' | 'staged',
  detector: Detector,
  grouper: FindingGrouper,
  report: { errors: ScanResult['errors'] },
  extra: { added?: readonly [number, number][]; includes?: GitlabIncludes },
): Promise<void> {
  try {
    const { text } = decode(file.bytes);
    // The checks pull in the YAML parser: loaded with the first CI file, not at start-up.
    const ci = await (ciModule ??= import('./ci/index.js'));
    const origin = { path: file.path, source } as const;
    const detected = detector.detect({ origin, text });
    const result = await ci.runCiChecksWhenReady({ path: file.path, text }, { platform, origin });
    report.errors.push(...result.errors);
    for (const candidate of ci.reconcileCandidates(detected, result)) {
      if (!extra.added || touchesLines(extra.added, candidate.line, candidate.endLine)) grouper.add(candidate);
    }
    extra.includes?.found(file.path, result);
  } catch (error) {
    // One bad file is reported and skipped; the scan goes on (the checks already catch their own).
    report.errors.push({ path: file.path, message: `detection failed: ${(error as Error).message}; skipped` });
  }
}

function readIfFile(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined; // gone since the walk: nothing to check
  }
}

/** One folder scanned: paths are relative to it. Otherwise relative to the working directory. */
function scanRoot(targets: string[], cwd: string): string {
  if (targets.length === 1) {
    try {
      if (statSync(targets[0]!).isDirectory()) return targets[0]!;
    } catch {
      // reported by the source
    }
  }
  return cwd;
}

function directoryOf(path: string): string {
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return dirname(path);
  }
}

function sortOccurrences(finding: ScoredFinding): ScoredFinding {
  const order = finding.occurrences.map((occurrence, index) => ({ occurrence, lineText: finding.lineTexts[index]! }));
  order.sort((a, b) => comparePlaces(a.occurrence, b.occurrence));
  return { ...finding, occurrences: order.map((o) => o.occurrence), lineTexts: order.map((o) => o.lineText) };
}

function comparePlaces(a: { path: string; line: number; column: number; commit?: string }, b: typeof a): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column || (a.commit ?? '').localeCompare(b.commit ?? '');
}

function compareFindings(a: ScoredFinding, b: ScoredFinding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    b.score - a.score ||
    comparePlaces(a.occurrences[0]!, b.occurrences[0]!) ||
    a.rule.id.localeCompare(b.rule.id) ||
    a.id.localeCompare(b.id)
  );
}
