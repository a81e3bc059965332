/**
 * The baseline (DESIGN §7): findings a team has accepted for now, so that CI fails only on new leaks.
 * Part of the suppression stage: it runs after inline comments and the allowlist and before scoring, so a
 * known finding never raises a score. It matches on the finding id, a hash of the rule id and the secret,
 * so a secret that moves to another line or file, or is reformatted around, stays known; a different
 * secret on the same line is new.
 *
 * The file, `.secretscan-baseline.json`, never holds a secret nor a line number, and is written so that
 * Git merges it cleanly: one entry per line, sorted by id, and every entry line ends in a comma (the
 * fixed `$secretscan` member closes the object), so two branches that add different entries touch
 * different lines, and even a `merge=union` of two versions is valid JSON.
 *
 *   {
 *     "0c9f…": { "ruleId": "acme-key", "path": "src/app.ts" },
 *     "7d21…": { "ruleId": "aws-access-key-id", "path": "deploy/.env", "reason": "rotated", "expires": "2026-06-30" },
 *     "$secretscan": { "baseline": 1, "about": "…" }
 *   }
 *
 * `expires` is a date (YYYY-MM-DD, UTC): from that day on the entry no longer suppresses, and its
 * finding is reported again, with a notice, until it is fixed or the date is moved.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { shortQuote } from '../util/quote.js';

export const BASELINE_FILE = '.secretscan-baseline.json';
export const BASELINE_VERSION = 1;
const META_KEY = '$secretscan';
const ABOUT =
  'Accepted secretscan findings. Keys are finding ids (a hash of rule id and secret, never the secret). One line per entry, sorted; "reason" and "expires" (YYYY-MM-DD) are yours to add. Rewrite with: secretscan baseline';
const FINDING_ID = /^[0-9a-f]{32}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ENTRY_KEYS = new Set(['ruleId', 'path', 'reason', 'expires']);

export interface BaselineEntry {
  id: string;
  ruleId: string;
  /** A path the finding was reported at when it was accepted: for people reading the file, not matching. */
  path: string;
  reason?: string;
  /** YYYY-MM-DD: the first day the entry no longer suppresses. */
  expires?: string;
}

/** Entries by finding id. */
export type Baseline = ReadonlyMap<string, BaselineEntry>;

/** A problem with the baseline file: one line naming the file and what to do. */
export class BaselineError extends Error {}

/** What the baseline needs of a finding: no secret, no line. */
export interface BaselineSubject {
  id: string;
  ruleId: string;
  /** Every path it occurs at, sorted, without duplicates. */
  paths: string[];
}

export function subjectOf(finding: { id: string; rule: { id: string }; occurrences: readonly { path: string }[] }): BaselineSubject {
  return { id: finding.id, ruleId: finding.rule.id, paths: [...new Set(finding.occurrences.map((o) => o.path))].sort() };
}

/**
 * Which baseline file a scan uses: --baseline (from the working directory), else the config's `baseline`
 * (from the config file's folder), else `.secretscan-baseline.json` in the first folder, from the config's
 * (or the scanned folder) up to the top of its Git repository, that has one; if none has, the one at the
 * top of the repository. `explicit` is false for the default, whose absence is normal.
 */
export function locateBaseline(options: { option?: string; cwd: string; configured?: string; configDir: string }): { path: string; explicit: boolean } {
  if (options.option !== undefined) return { path: resolve(options.cwd, options.option), explicit: true };
  if (options.configured !== undefined) return { path: resolve(options.configDir, options.configured), explicit: true };
  for (let dir = resolve(options.configDir); ; dir = dirname(dir)) {
    if (existsSync(join(dir, BASELINE_FILE))) return { path: join(dir, BASELINE_FILE), explicit: false };
    // None yet: where `secretscan baseline` writes one, the top of the repository (or the folder itself).
    if (existsSync(join(dir, '.git'))) return { path: join(dir, BASELINE_FILE), explicit: false };
    if (dirname(dir) === dir) return { path: join(resolve(options.configDir), BASELINE_FILE), explicit: false };
  }
}

export function emptyBaseline(): Baseline {
  return new Map();
}

/**
 * Parses and checks a baseline. Entries may come unsorted and repeated (after a union merge): a repeated
 * id keeps the fields of its first line and takes missing ones from later lines.
 */
export function parseBaseline(text: string, file: string): Baseline {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(
      `${file}: not valid JSON (${withoutExcerpt((error as Error).message)}); resolve any merge conflict in it, or delete it and run "secretscan baseline" to write it again`,
    );
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new BaselineError(`${file}: expected a JSON object of entries by finding id; run "secretscan baseline" to write one`);
  }
  const entries = new Map<string, BaselineEntry>();
  for (const [id, value] of duplicateAwareEntries(text, document as Record<string, unknown>)) {
    if (id === META_KEY) {
      const version = (value as { baseline?: unknown } | null)?.baseline;
      if (version !== BASELINE_VERSION) {
        throw new BaselineError(`${file}: baseline format ${JSON.stringify(version)} is not one this secretscan reads (${BASELINE_VERSION}); upgrade secretscan`);
      }
      continue;
    }
    const entry = checkEntry(id, value, file);
    const previous = entries.get(id);
    entries.set(id, previous ? { ...entry, ...definedFields(previous) } : entry);
  }
  return entries;
}

/** Reads the baseline at `path`; undefined when there is no such file. */
export async function readBaseline(path: string, displayName = path): Promise<Baseline | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new BaselineError(`${displayName}: cannot read the baseline (${code ?? error}); check its permissions`);
  }
  return parseBaseline(text, displayName);
}

/** The file's text: sorted by id, one line per entry, fields in a fixed order. */
export function renderBaseline(baseline: Baseline): string {
  const lines = ['{'];
  for (const id of [...baseline.keys()].sort()) {
    const entry = baseline.get(id)!;
    const fields = [`"ruleId": ${JSON.stringify(entry.ruleId)}`, `"path": ${JSON.stringify(entry.path)}`];
    if (entry.reason !== undefined) fields.push(`"reason": ${JSON.stringify(entry.reason)}`);
    if (entry.expires !== undefined) fields.push(`"expires": ${JSON.stringify(entry.expires)}`);
    lines.push(`  ${JSON.stringify(id)}: { ${fields.join(', ')} },`);
  }
  lines.push(`  ${JSON.stringify(META_KEY)}: { "baseline": ${BASELINE_VERSION}, "about": ${JSON.stringify(ABOUT)} }`, '}', '');
  return lines.join('\n');
}

export async function writeBaseline(path: string, baseline: Baseline, displayName = path): Promise<void> {
  try {
    await writeFile(path, renderBaseline(baseline));
  } catch (error) {
    throw new BaselineError(`${displayName}: cannot write the baseline (${(error as NodeJS.ErrnoException).code ?? error}); check the folder exists and is writable`);
  }
}

/** An entry past its expiry date whose finding was found again: reported, with this notice. */
export interface ExpiredEntry {
  entry: BaselineEntry;
  message: string;
}

export interface BaselineOutcome<F> {
  /** New findings, and known ones whose entry has expired: these are reported. */
  kept: F[];
  /** Findings the baseline suppresses, without their secrets (for --update-baseline). */
  known: BaselineSubject[];
  /** Occurrences suppressed, for the report's `suppressed.baseline` (counts are of occurrences). */
  suppressedOccurrences: number;
  expired: ExpiredEntry[];
}

/** Drops the findings the baseline knows, unless their entry has expired (`today` is YYYY-MM-DD, UTC). */
export function applyBaseline<F extends { id: string; rule: { id: string }; occurrences: readonly { path: string }[] }>(
  findings: readonly F[],
  baseline: Baseline,
  today: string = todayUtc(),
): BaselineOutcome<F> {
  const outcome: BaselineOutcome<F> = { kept: [], known: [], suppressedOccurrences: 0, expired: [] };
  for (const finding of findings) {
    const entry = baseline.get(finding.id);
    if (entry === undefined) {
      outcome.kept.push(finding);
    } else if (entry.expires !== undefined && entry.expires <= today) {
      outcome.kept.push(finding);
      outcome.expired.push({
        entry,
        message: `baseline entry ${entry.id} (${entry.ruleId}, ${entry.path}) expired on ${entry.expires}: the finding is reported again; fix it, or move "expires" in ${BASELINE_FILE}`,
      });
    } else {
      outcome.known.push(subjectOf(finding));
      outcome.suppressedOccurrences += finding.occurrences.length;
    }
  }
  return outcome;
}

export interface BaselineUpdate {
  baseline: Baseline;
  /** Ids of entries added, sorted. */
  added: string[];
  /** Ids of entries removed because nothing was found for them, sorted. */
  pruned: string[];
  /** Entries carried over (their reason and expiry kept). */
  unchanged: number;
}

/**
 * The baseline after a scan that found `findings` (every finding after inline and allowlist
 * suppression, whether the baseline knew it or not): new findings are added, entries whose finding was
 * not found are pruned, and the rest keep their reason and expiry. An entry's path is kept while the
 * finding still occurs there, so edits elsewhere do not churn the file. Pruning trusts that the scan saw
 * everything the baseline covers: run it on a whole repository, not on a sub-folder or a commit range.
 */
export function updateBaseline(previous: Baseline, findings: Iterable<BaselineSubject>): BaselineUpdate {
  const next = new Map<string, BaselineEntry>();
  const added: string[] = [];
  let unchanged = 0;
  for (const finding of findings) {
    if (next.has(finding.id)) continue;
    const old = previous.get(finding.id);
    if (old) {
      const path = finding.paths.includes(old.path) || finding.paths.length === 0 ? old.path : finding.paths[0]!;
      next.set(finding.id, { ...old, path });
      unchanged++;
    } else {
      next.set(finding.id, { id: finding.id, ruleId: finding.ruleId, path: finding.paths[0] ?? '' });
      added.push(finding.id);
    }
  }
  const pruned = [...previous.keys()].filter((id) => !next.has(id));
  return { baseline: next, added: added.sort(), pruned: pruned.sort(), unchanged };
}

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function checkEntry(id: string, value: unknown, file: string): BaselineEntry {
  const where = `${file}: entry "${FINDING_ID.test(id) ? id : shortQuote(id)}"`;
  if (!FINDING_ID.test(id)) {
    throw new BaselineError(`${where}: keys are finding ids (32 lower-case hex characters, as "id" in the JSON report); fix the key or remove the line`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BaselineError(`${where}: expected an object with "ruleId" and "path"; fix the line or remove it`);
  }
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!ENTRY_KEYS.has(key)) {
      throw new BaselineError(`${where}: unknown key "${shortQuote(key)}" (allowed: ruleId, path, reason, expires); fix the typo, so that it is not silently ignored`);
    }
  }
  for (const key of ['ruleId', 'path'] as const) {
    if (typeof fields[key] !== 'string') throw new BaselineError(`${where}: "${key}" must be a string; fix the line or remove it`);
  }
  if (fields.reason !== undefined && typeof fields.reason !== 'string') {
    throw new BaselineError(`${where}: "reason" must be a string; fix the line`);
  }
  if (fields.expires !== undefined && !isIsoDate(fields.expires)) {
    throw new BaselineError(`${where}: "expires" must be a date as YYYY-MM-DD, got ${typeof fields.expires === 'string' ? `"${shortQuote(fields.expires)}"` : shortQuote(JSON.stringify(fields.expires) ?? 'nothing')}; fix the line`);
  }
  return {
    id,
    ruleId: fields.ruleId as string,
    path: fields.path as string,
    ...(fields.reason !== undefined ? { reason: fields.reason as string } : {}),
    ...(fields.expires !== undefined ? { expires: fields.expires as string } : {}),
  };
}


/** V8 quotes the text around a JSON syntax error (`Unexpected token 'g', "ghp_AbCdEf"... is not valid JSON`). */
function withoutExcerpt(message: string): string {
  return message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
}

function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function definedFields(entry: BaselineEntry): Partial<BaselineEntry> {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
}

/**
 * JSON.parse keeps only the last of repeated keys. A union merge can repeat an entry (each branch edited
 * its reason): read each entry line again so that no version of it is lost. Lines are as we write them;
 * a hand-formatted file simply has no repeats to recover.
 */
function duplicateAwareEntries(text: string, parsed: Record<string, unknown>): [string, unknown][] {
  const entries: [string, unknown][] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^\s*("(?:[^"\\]|\\.)*")\s*:\s*(\{.*\})\s*,?\s*$/.exec(line);
    if (!match) continue;
    try {
      const id = JSON.parse(match[1]!) as string;
      entries.push([id, JSON.parse(match[2]!)]);
      seen.add(id);
    } catch {
      // not one of our entry lines: the parsed object has it
    }
  }
  for (const [id, value] of Object.entries(parsed)) if (!seen.has(id)) entries.push([id, value]);
  return entries;
}
