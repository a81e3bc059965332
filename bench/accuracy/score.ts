/**
 * Matching the scanner's findings to the ground truth, and the numbers the bench prints.
 *
 * An occurrence is a true positive when it overlaps a planted secret's span in the same file (or, failing
 * that, reports the same secret in that file). A planted secret is found when at least one occurrence
 * matched it; further matches of the same planted secret are duplicates (counted, not scored). Every other
 * occurrence is a false positive, charged to the negative whose lines it falls on, or else to "the line of
 * a planted secret" or "filler" of its file kind. Findings on a neutral negative (a Firebase web key
 * reported as a Google API key, a bcrypt hash reported as a password hash) are set aside, not scored.
 */
import type { Corpus, PlantedNegative, PlantedSecret } from './corpus.js';
import { NEGATIVE_KINDS } from './negatives.js';

export interface ReportOccurrence {
  path: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface ReportFinding {
  ruleId: string;
  credentialType: string;
  secret: string;
  occurrences: ReportOccurrence[];
}

export interface FalsePositive {
  path: string;
  line: number;
  ruleId: string;
  secret: string;
  bucket: string;
  family: string;
}

export interface Tally {
  planted: number;
  found: number;
  /** Found by the rule it was planted for. */
  byExpectedRule: number;
}

export interface Outcome {
  planted: number;
  found: number;
  truePositives: number;
  falsePositives: FalsePositive[];
  duplicates: number;
  neutral: number;
  precision: number;
  recall: number;
  f1: number;
  byRule: Map<string, Tally & { missed: PlantedSecret[]; otherRules: Map<string, number>; credentialType: string }>;
  byType: Map<string, Tally>;
  byFileKind: Map<string, Tally>;
  byTemplate: Map<string, Tally>;
  byClass: Map<string, Tally>;
  encoded: Tally;
  /** Per negative kind: instances planted and occurrences reported on them. */
  byNegative: Map<string, { family: string; planted: number; falsePositives: FalsePositive[] }>;
  /** False positives outside any negative, by bucket. */
  elsewhere: Map<string, FalsePositive[]>;
  findings: number;
  occurrences: number;
  /** "first rule + second rule": how often a planted secret was reported again by another rule. */
  duplicatePairs: Map<string, number>;
}

const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 < c2);

function overlaps(o: ReportOccurrence, s: PlantedSecret): boolean {
  const endLine = o.endLine ?? o.line;
  const endColumn = o.endColumn ?? o.column + 1;
  return before(o.line, o.column, s.endLine, s.endColumn) && before(s.line, s.column, endLine, endColumn);
}

const tally = (): Tally => ({ planted: 0, found: 0, byExpectedRule: 0 });

function bump(map: Map<string, Tally>, key: string, found: boolean, expected: boolean): void {
  let t = map.get(key);
  if (!t) map.set(key, (t = tally()));
  t.planted++;
  if (found) t.found++;
  if (expected) t.byExpectedRule++;
}

export function score(corpus: Corpus, findings: ReportFinding[]): Outcome {
  const secretsByPath = groupBy(corpus.secrets, (s) => s.path);
  const negativesByPath = groupBy(corpus.negatives, (n) => n.path);
  const acceptByKind = new Map(NEGATIVE_KINDS.map((n) => [n.kind, n.accept]));
  const matches = new Map<PlantedSecret, string[]>();
  const falsePositives: FalsePositive[] = [];
  let truePositives = 0;
  let duplicates = 0;
  let neutral = 0;
  let occurrences = 0;
  const duplicatePairs = new Map<string, number>();

  for (const finding of findings) {
    for (const occurrence of finding.occurrences) {
      occurrences++;
      const candidates = secretsByPath.get(occurrence.path) ?? [];
      let hit = candidates.filter((s) => overlaps(occurrence, s));
      if (hit.length === 0) hit = candidates.filter((s) => s.secret === finding.secret || (finding.secret.length >= 8 && s.secret.includes(finding.secret)));
      if (hit.length > 0) {
        let fresh = false;
        for (const secret of hit) {
          const rules = matches.get(secret);
          if (rules) rules.push(finding.ruleId);
          else {
            matches.set(secret, [finding.ruleId]);
            fresh = true;
          }
        }
        if (fresh) truePositives++;
        else {
          duplicates++;
          const firsts = hit.map((secret) => matches.get(secret)![0]!).filter((rule) => rule !== finding.ruleId);
          for (const first of new Set(firsts)) {
            const pair = `${first} + ${finding.ruleId}`;
            duplicatePairs.set(pair, (duplicatePairs.get(pair) ?? 0) + 1);
          }
        }
        continue;
      }
      const endLine = occurrence.endLine ?? occurrence.line;
      const negative = (negativesByPath.get(occurrence.path) ?? []).find((n) => occurrence.line <= n.endLine && n.line <= endLine);
      if (negative && acceptByKind.get(negative.kind)?.(finding)) {
        neutral++;
        continue;
      }
      const context = candidates.find((s) => occurrence.line <= s.entryEndLine && s.entryLine <= endLine);
      // A rule's own example placed verbatim may hold more than the one value tracked (two registries' auths).
      if (context?.valueClass === 'line') {
        neutral++;
        continue;
      }
      const fileKind = corpus.pathKinds.get(occurrence.path) ?? 'unknown';
      falsePositives.push({
        path: occurrence.path,
        line: occurrence.line,
        ruleId: finding.ruleId,
        secret: finding.secret,
        bucket: negative ? negative.kind : context ? `next to a planted ${context.ruleId}` : `filler / structure of ${fileKind}`,
        family: negative ? negative.family : 'outside the negatives',
      });
    }
  }

  const outcome: Outcome = {
    planted: corpus.secrets.length,
    found: matches.size,
    truePositives,
    falsePositives,
    duplicates,
    neutral,
    precision: truePositives + falsePositives.length === 0 ? 1 : truePositives / (truePositives + falsePositives.length),
    recall: corpus.secrets.length === 0 ? 0 : matches.size / corpus.secrets.length,
    f1: 0,
    byRule: new Map(),
    byType: new Map(),
    byFileKind: new Map(),
    byTemplate: new Map(),
    byClass: new Map(),
    encoded: tally(),
    byNegative: new Map(),
    elsewhere: new Map(),
    findings: findings.length,
    occurrences,
    duplicatePairs,
  };
  outcome.f1 = outcome.precision + outcome.recall === 0 ? 0 : (2 * outcome.precision * outcome.recall) / (outcome.precision + outcome.recall);

  for (const plan of corpus.plans) {
    outcome.byRule.set(plan.rule.id, { ...tally(), missed: [], otherRules: new Map(), credentialType: plan.rule.credentialType });
  }
  for (const secret of corpus.secrets) {
    const rules = matches.get(secret);
    const found = rules !== undefined;
    const expected = rules?.includes(secret.ruleId) ?? false;
    const rule = outcome.byRule.get(secret.ruleId)!;
    rule.planted++;
    if (found) rule.found++;
    if (expected) rule.byExpectedRule++;
    if (!found) rule.missed.push(secret);
    for (const other of new Set(rules ?? [])) if (other !== secret.ruleId) rule.otherRules.set(other, (rule.otherRules.get(other) ?? 0) + 1);
    bump(outcome.byType, secret.credentialType, found, expected);
    bump(outcome.byFileKind, secret.fileKind, found, expected);
    bump(outcome.byTemplate, secret.template, found, expected);
    bump(outcome.byClass, secret.valueClass, found, expected);
    if (secret.encoded) {
      outcome.encoded.planted++;
      if (found) outcome.encoded.found++;
      if (expected) outcome.encoded.byExpectedRule++;
    }
  }
  for (const negative of corpus.negatives) {
    let entry = outcome.byNegative.get(negative.kind);
    if (!entry) outcome.byNegative.set(negative.kind, (entry = { family: negative.family, planted: 0, falsePositives: [] }));
    entry.planted++;
  }
  for (const fp of falsePositives) {
    const entry = outcome.byNegative.get(fp.bucket);
    if (entry) entry.falsePositives.push(fp);
    else {
      let list = outcome.elsewhere.get(fp.bucket);
      if (!list) outcome.elsewhere.set(fp.bucket, (list = []));
      list.push(fp);
    }
  }
  return outcome;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(item);
  }
  return map;
}

// ─── Text report ──────────────────────────────────────────────────────────────────────────────────

export interface Timings {
  generateMs: number;
  scanMs: number;
  matchMs: number;
  totalMs: number;
}

export const TARGETS = { recall: 0.98, precision: 0.99 };

const pct = (n: number, d: number) => (d === 0 ? '   -  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);
const short = (text: string, max = 60) => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
};

/** `head` then the items, wrapped at about 120 columns with continuation lines indented. */
function wrap(head: string, items: string[], width = 120): string[] {
  const out: string[] = [];
  let line = `  ${head}`;
  items.forEach((item, index) => {
    const piece = index < items.length - 1 ? `${item},` : item;
    if (line.length + piece.length + 1 > width) {
      out.push(line);
      line = `     ${piece}`;
    } else {
      line += ` ${piece}`;
    }
  });
  out.push(line);
  return out;
}

function tallyRows(map: Map<string, Tally>, limit?: number): string[] {
  const rows = [...map.entries()].sort((a, b) => a[1].found / a[1].planted - b[1].found / b[1].planted || b[1].planted - a[1].planted || a[0].localeCompare(b[0]));
  const width = Math.max(20, ...rows.map(([key]) => key.length));
  return rows.slice(0, limit).map(([key, t]) => `  ${key.padEnd(width)}  ${`${t.found}/${t.planted}`.padStart(9)}  ${pct(t.found, t.planted)}   by its rule ${pct(t.byExpectedRule, t.planted)}`);
}

export interface BenchResult {
  seed: number;
  corpus: Corpus;
  outcome: Outcome;
  timings: Timings;
  exitCode: number;
  /** Rules in rules/ that the built CLI does not have (a stale dist/). */
  notBuilt: string[];
  corpusDir?: string;
}

export function renderText(input: BenchResult): string {
  const { corpus, outcome: o, timings } = input;
  const lines: string[] = [];
  const rulesPlanted = new Set(corpus.secrets.map((s) => s.ruleId)).size;
  const negativeKinds = new Set(corpus.negatives.map((n) => n.kind)).size;
  lines.push(`secretscan accuracy bench (seed ${input.seed})`);
  lines.push(
    `corpus: ${corpus.files} files of ${corpus.fileKinds} kinds, ${(corpus.bytes / 1024).toFixed(0)} KiB; ${corpus.secrets.length} planted secrets of ${rulesPlanted} rules; ${corpus.negatives.length} look-alikes of ${negativeKinds} kinds${input.corpusDir ? `\n        kept in ${input.corpusDir}` : ''}`,
  );
  lines.push(`scan: exit ${input.exitCode}, ${o.findings} findings, ${o.occurrences} occurrences (${o.truePositives} true, ${o.falsePositives.length} false, ${o.duplicates} duplicate, ${o.neutral} not scored: accepted on neutral look-alikes or extra matches inside verbatim rule examples)`);
  if (input.notBuilt.length > 0) lines.push(`warning: not in the built CLI, not planted (run npm run build): ${input.notBuilt.join(', ')}`);
  if (corpus.unplanted.length > 0) {
    lines.push('', `NOT PLANTED (${corpus.unplanted.length} rules: fix their examples)`);
    for (const u of corpus.unplanted) lines.push(`  ${u.ruleId}: ${u.reason}`);
  }

  lines.push('', 'RECALL BY CREDENTIAL TYPE (found by any rule; "by its rule" = by the rule it was planted for)');
  lines.push(...tallyRows(o.byType));

  lines.push('', 'RECALL BY RULE (worst first; up to 3 misses each: file:line [kind:template] secret)');
  const rules = [...o.byRule.entries()].filter(([, t]) => t.planted > 0).sort((a, b) => a[1].found / a[1].planted - b[1].found / b[1].planted || a[0].localeCompare(b[0]));
  const ruleWidth = Math.max(20, ...rules.map(([id]) => id.length));
  const perfect: string[] = [];
  for (const [id, t] of rules) {
    const others = [...t.otherRules.entries()].sort((a, b) => b[1] - a[1]).map(([rule, n]) => `${rule} ${n}`).join(', ');
    if (t.found === t.planted && t.byExpectedRule === t.planted) {
      perfect.push(`${id} ${t.found}/${t.planted}`);
      continue;
    }
    lines.push(`  ${id.padEnd(ruleWidth)}  ${`${t.found}/${t.planted}`.padStart(7)}  ${pct(t.found, t.planted)}   by its rule ${pct(t.byExpectedRule, t.planted)}${others ? `   also reported as: ${others}` : ''}`);
    for (const miss of t.missed.slice(0, 3)) lines.push(`      missed ${miss.path}:${miss.line} [${miss.template}] ${short(miss.secret, 50)}`);
  }
  if (perfect.length > 0) lines.push(...wrap(`100% (all found, all by their own rule), ${perfect.length} rules:`, perfect));

  lines.push('', 'RECALL BY VALUE CLASS');
  lines.push(...tallyRows(o.byClass));
  lines.push(`  ${'encoded (base64, needs decoding)'.padEnd(20)}  ${`${o.encoded.found}/${o.encoded.planted}`.padStart(9)}  ${pct(o.encoded.found, o.encoded.planted)}`);
  lines.push('', 'RECALL BY FILE KIND (worst 20)');
  lines.push(...tallyRows(o.byFileKind, 20));
  lines.push('', 'RECALL BY TEMPLATE (worst 20)');
  lines.push(...tallyRows(o.byTemplate, 20));

  lines.push('', 'FALSE POSITIVES BY NEGATIVE KIND (worst first; first 3 examples each: rule at file:line: reported value)');
  const negatives = [...o.byNegative.entries()].sort((a, b) => b[1].falsePositives.length - a[1].falsePositives.length || a[0].localeCompare(b[0]));
  const negWidth = Math.max(24, ...negatives.map(([kind]) => kind.length));
  const clean: string[] = [];
  for (const [kind, entry] of negatives) {
    if (entry.falsePositives.length === 0) {
      clean.push(`${kind} (${entry.planted})`);
      continue;
    }
    lines.push(`  ${kind.padEnd(negWidth)}  ${entry.family.padEnd(18)}  ${String(entry.falsePositives.length).padStart(3)} FP on ${String(entry.planted).padStart(3)} planted`);
    for (const fp of entry.falsePositives.slice(0, 3)) lines.push(`      ${fp.ruleId} at ${fp.path}:${fp.line}: ${short(fp.secret)}`);
  }
  if (clean.length > 0) lines.push(...wrap(`no false positive, ${clean.length} kinds (instances planted):`, clean));
  if (o.elsewhere.size > 0) {
    lines.push('', 'FALSE POSITIVES OUTSIDE THE NEGATIVES');
    for (const [bucket, list] of [...o.elsewhere.entries()].sort((a, b) => b[1].length - a[1].length)) {
      lines.push(`  ${bucket}: ${list.length}`);
      for (const fp of list.slice(0, 3)) lines.push(`      ${fp.ruleId} at ${fp.path}:${fp.line}: ${short(fp.secret)}`);
    }
  }

  if (o.duplicatePairs.size > 0) {
    lines.push('', 'SAME SECRET REPORTED BY TWO RULES (first + second, count; noise for users, not scored)');
    for (const [pair, n] of [...o.duplicatePairs.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`  ${pair}: ${n}`);
  }

  const fpTotal = o.falsePositives.length;
  lines.push('', 'OVERALL');
  lines.push(`  recall     ${(100 * o.recall).toFixed(2)}%  (${o.found}/${o.planted})   target >= ${100 * TARGETS.recall}%  ${o.recall >= TARGETS.recall ? 'met' : 'NOT MET'}`);
  lines.push(`  precision  ${(100 * o.precision).toFixed(2)}%  (${o.truePositives} true / ${o.truePositives + fpTotal} scored occurrences)   target >= ${100 * TARGETS.precision}%  ${o.precision >= TARGETS.precision ? 'met' : 'NOT MET'}`);
  lines.push(`  F1         ${(100 * o.f1).toFixed(2)}%`);
  lines.push(`  time       generate ${(timings.generateMs / 1000).toFixed(1)} s, scan ${(timings.scanMs / 1000).toFixed(1)} s, match ${(timings.matchMs / 1000).toFixed(2)} s, total ${(timings.totalMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

export function toJson(input: BenchResult): unknown {
  const { corpus, outcome: o } = input;
  const tallies = (map: Map<string, Tally>) => Object.fromEntries([...map.entries()].map(([k, t]) => [k, { ...t, recall: t.planted === 0 ? 0 : t.found / t.planted }]));
  return {
    seed: input.seed,
    corpus: { files: corpus.files, bytes: corpus.bytes, fileKinds: corpus.fileKinds, planted: corpus.secrets.length, negatives: corpus.negatives.length, unplanted: corpus.unplanted, notBuilt: input.notBuilt, dir: input.corpusDir ?? null },
    scan: { exitCode: input.exitCode, findings: o.findings, occurrences: o.occurrences },
    overall: { recall: o.recall, precision: o.precision, f1: o.f1, found: o.found, planted: o.planted, truePositives: o.truePositives, falsePositives: o.falsePositives.length, duplicates: o.duplicates, neutral: o.neutral, targets: TARGETS },
    duplicatePairs: Object.fromEntries(o.duplicatePairs),
    byCredentialType: tallies(o.byType),
    byRule: Object.fromEntries(
      [...o.byRule.entries()].map(([id, t]) => [
        id,
        {
          planted: t.planted,
          found: t.found,
          byExpectedRule: t.byExpectedRule,
          recall: t.planted === 0 ? 0 : t.found / t.planted,
          credentialType: t.credentialType,
          alsoReportedAs: Object.fromEntries(t.otherRules),
          missed: t.missed.slice(0, 10).map((m) => ({ path: m.path, line: m.line, column: m.column, template: m.template, secret: m.secret })),
        },
      ]),
    ),
    byValueClass: tallies(o.byClass),
    encoded: o.encoded,
    byFileKind: tallies(o.byFileKind),
    byTemplate: tallies(o.byTemplate),
    falsePositivesByNegativeKind: Object.fromEntries(
      [...o.byNegative.entries()].map(([kind, e]) => [kind, { family: e.family, planted: e.planted, falsePositives: e.falsePositives.length, examples: e.falsePositives.slice(0, 3) }]),
    ),
    falsePositivesElsewhere: Object.fromEntries([...o.elsewhere.entries()].map(([bucket, list]) => [bucket, { count: list.length, examples: list.slice(0, 3) }])),
    timings: input.timings,
  };
}

export type { PlantedNegative };
