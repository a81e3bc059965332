/**
 * Shared pieces of the fuzz suite (issue #8): how many cases to run, the seed, pathological strings
 * derived from each rule's own pattern, and a linear-time check that survives a noisy shared machine.
 *
 * `npm test` runs a bounded number of cases with a fixed seed (the same cases on every run, so CI is
 * deterministic); `npm run fuzz` sets FUZZ_RUNS (and may set FUZZ_SEED) and runs the same properties
 * with many more cases. fast-check prints the seed and the shrunk counterexample of any failure:
 * `FUZZ_SEED=<seed> npm run fuzz` replays it.
 */
import type { Parameters as FcParameters } from 'fast-check';
import type { RuleSpec } from '../../src/types.js';

/** Cases per property: small in `npm test`, large under `npm run fuzz`. */
export const FUZZ_RUNS = positiveInt(process.env.FUZZ_RUNS) ?? 0;
export const LONG_RUN = FUZZ_RUNS > 0;
const DEFAULT_SEED = 0x8f022;
export const FUZZ_SEED = integer(process.env.FUZZ_SEED) ?? (LONG_RUN ? (Date.now() ^ (process.pid << 16)) >>> 0 : DEFAULT_SEED);
if (LONG_RUN) console.log(`fuzz: FUZZ_RUNS=${FUZZ_RUNS} FUZZ_SEED=${FUZZ_SEED}`);

/** fast-check parameters: `bounded` cases in `npm test`, FUZZ_RUNS under `npm run fuzz`. */
export function fcParams<T>(bounded: number): FcParameters<T> {
  return { numRuns: LONG_RUN ? FUZZ_RUNS : bounded, seed: FUZZ_SEED, endOnFailure: false, verbose: 1 };
}

/** A size that grows under `npm run fuzz`: more characters per pathological string. */
export function scaled(bounded: number, long: number): number {
  return LONG_RUN ? long : bounded;
}

function positiveInt(value: string | undefined): number | undefined {
  const n = integer(value);
  return n !== undefined && n > 0 ? n : undefined;
}

function integer(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

// ─── Linear time ─────────────────────────────────────────────────────────────────────────────────

export interface GrowthMeasure {
  small: number;
  large: number;
  ratio: number;
}

/**
 * Whether `run(size)` grows linearly from `size` to 4×`size`. Linear work gives a ratio near 4 and
 * quadratic work near 16; the bound sits in between, generously. Sizes are timed alternately and the
 * fastest of each kept (noise only ever adds time), and a ratio over the bound is measured again, with
 * more repetitions, before it counts: one descheduling or a GC pause on a busy 2-core machine (other
 * test files run alongside) must not fail the suite, while a quadratic rule fails every attempt. Times
 * under `floorMs` on the large side are too short to tell apart from timer noise; they pass.
 */
export function linearGrowth(run: (size: number) => void, size: number, options: GrowthOptions = {}): GrowthMeasure & { linear: boolean } {
  const { bound = 10, repeats = 1, floorMs = 25, attempts = 4 } = options;
  let best: GrowthMeasure | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    let small = Number.POSITIVE_INFINITY;
    let large = Number.POSITIVE_INFINITY;
    for (let i = 0; i < repeats + attempt; i++) {
      small = Math.min(small, fastest(() => run(size), 1));
      large = Math.min(large, fastest(() => run(size * 4), 1));
    }
    const measure = { small, large, ratio: large / Math.max(small, 0.05) };
    if (!best || measure.ratio < best.ratio) best = measure;
    if (large < floorMs || measure.ratio <= bound) return { ...measure, linear: true };
  }
  return { ...best!, linear: false };
}

export interface GrowthOptions {
  bound?: number;
  repeats?: number;
  floorMs?: number;
  attempts?: number;
}

export function fastest(run: () => void, repeats: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** The same for async work (a whole scan). */
export async function linearGrowthAsync(run: (size: number) => Promise<void>, size: number, options: GrowthOptions = {}): Promise<GrowthMeasure & { linear: boolean }> {
  const { bound = 10, repeats = 1, floorMs = 25, attempts = 4 } = options;
  const time = async (n: number) => {
    const started = performance.now();
    await run(n);
    return performance.now() - started;
  };
  let best: GrowthMeasure | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    let small = Number.POSITIVE_INFINITY;
    let large = Number.POSITIVE_INFINITY;
    for (let i = 0; i < repeats + attempt; i++) {
      small = Math.min(small, await time(size));
      large = Math.min(large, await time(size * 4));
    }
    const measure = { small, large, ratio: large / Math.max(small, 0.05) };
    if (!best || measure.ratio < best.ratio) best = measure;
    if (large < floorMs || measure.ratio <= bound) return { ...measure, linear: true };
  }
  return { ...best!, linear: false };
}

// ─── Pathological strings from a rule's pattern ─────────────────────────────────────────────────

/** The characters the fuzzer draws class members from: what text files are made of, plus a few controls. */
const UNIVERSE = (() => {
  const chars: string[] = ['\t', '\n', '\r'];
  for (let code = 0x20; code < 0x7f; code++) chars.push(String.fromCharCode(code));
  return chars;
})();

const ESCAPE_CLASSES: Record<string, (c: string) => boolean> = {
  d: (c) => c >= '0' && c <= '9',
  w: (c) => /\w/.test(c),
  s: (c) => /\s/.test(c),
  D: (c) => !(c >= '0' && c <= '9'),
  W: (c) => !/\w/.test(c),
  S: (c) => !/\s/.test(c),
};

export interface PatternPieces {
  /** Member characters of each character class (or `.`, `\w`, …) that carries a quantifier. */
  repeatedClasses: string[][];
  /** Near-matching samples of each quantified group: its first alternative with one member per class. */
  repeatedGroups: string[];
  /** A near-match of the whole pattern: first alternatives, minimum repetitions (at least one). */
  sample: string;
}

interface Atom {
  /** Members of a class; a literal is a one-member class. */
  members: string[];
  /** The atom's sample text (a group's first alternative, a class's first member). */
  sample: string;
  isGroup: boolean;
}

/**
 * A small reader of the RE2/JS subset the rules use: enough to find what repeats. It does not need to be
 * a full parser: whatever it misreads only changes which strings are tried, and every rule still gets its
 * keywords and the classes it does recognise. New rules are covered with no change here.
 */
export function patternPieces(pattern: string): PatternPieces {
  const body = pattern.replace(/^\(\?[is]+\)/, '');
  const repeatedClasses: string[][] = [];
  const repeatedGroups: string[] = [];
  // One frame per open group: the sample of its first alternative so far, and whether it is done.
  const stack: { sample: string; firstDone: boolean }[] = [{ sample: '', firstDone: false }];
  let i = 0;
  const append = (atom: Atom, times: number) => {
    const frame = stack[stack.length - 1]!;
    if (!frame.firstDone) frame.sample += atom.sample.repeat(times);
  };
  while (i < body.length) {
    const c = body[i]!;
    let atom: Atom | undefined;
    if (c === '(') {
      i += body.startsWith('(?:', i) ? 3 : body.startsWith('(?i)', i) || body.startsWith('(?s)', i) ? 4 : 1;
      stack.push({ sample: '', firstDone: false });
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1]!.firstDone = true;
      i++;
      continue;
    }
    if (c === ')') {
      const frame = stack.length > 1 ? stack.pop()! : { sample: '', firstDone: false };
      atom = { members: [], sample: frame.sample, isGroup: true };
      i++;
    } else if (c === '^' || c === '$') {
      i++;
      continue;
    } else if (c === '[') {
      const end = classEnd(body, i);
      const members = classMembers(body.slice(i + 1, end));
      atom = { members, sample: members[0] ?? '', isGroup: false };
      i = end + 1;
    } else if (c === '\\') {
      const next = body[i + 1] ?? '';
      i += 2;
      if (next === 'b' || next === 'B') continue;
      if (ESCAPE_CLASSES[next]) {
        const members = UNIVERSE.filter(ESCAPE_CLASSES[next]!);
        atom = { members, sample: members[0] ?? '', isGroup: false };
      } else if (next === 'x') {
        const char = String.fromCharCode(Number.parseInt(body.slice(i, i + 2), 16));
        i += 2;
        atom = { members: [char], sample: char, isGroup: false };
      } else {
        const char = next === 'n' ? '\n' : next === 'r' ? '\r' : next === 't' ? '\t' : next;
        atom = { members: [char], sample: char, isGroup: false };
      }
    } else if (c === '.') {
      const members = UNIVERSE.filter((m) => m !== '\n');
      atom = { members, sample: 'a', isGroup: false };
      i++;
    } else {
      atom = { members: [c], sample: c, isGroup: false };
      i++;
    }
    // A quantifier after the atom?
    const quantifier = /^(?:[*+?]|\{(\d+)(?:,(\d*))?\})\??/.exec(body.slice(i, i + 16));
    if (quantifier) {
      i += quantifier[0].length;
      const min = quantifier[1] !== undefined ? Number(quantifier[1]) : quantifier[0][0] === '+' ? 1 : 0;
      const max = quantifier[1] === undefined ? (quantifier[0][0] === '?' ? 1 : Infinity) : quantifier[2] === undefined ? min : quantifier[2] === '' ? Infinity : Number(quantifier[2]);
      if (max > 1) {
        if (atom.isGroup) {
          if (atom.sample) repeatedGroups.push(atom.sample);
        } else if (atom.members.length > 0) {
          repeatedClasses.push(atom.members);
        }
      }
      append(atom, Math.min(Math.max(min, 1), 64));
    } else {
      append(atom, 1);
    }
  }
  return { repeatedClasses: dedupeBy(repeatedClasses, (m) => m.join('')), repeatedGroups: [...new Set(repeatedGroups)], sample: stack[0]!.sample };
}

function classEnd(body: string, open: number): number {
  let i = open + 1;
  if (body[i] === '^') i++;
  if (body[i] === ']') i++;
  for (; i < body.length; i++) {
    if (body[i] === '\\') i++;
    else if (body[i] === ']') return i;
  }
  return body.length;
}

/** Members (from UNIVERSE) of a class body such as `^A-Za-z0-9_\s"'`. */
function classMembers(inner: string): string[] {
  const negated = inner.startsWith('^');
  const spec = negated ? inner.slice(1) : inner;
  const tests: ((c: string) => boolean)[] = [];
  const literal = (i: number): [string, number] => {
    if (spec[i] !== '\\') return [spec[i]!, i + 1];
    const next = spec[i + 1] ?? '\\';
    if (next === 'x') return [String.fromCharCode(Number.parseInt(spec.slice(i + 2, i + 4), 16)), i + 4];
    return [next === 'n' ? '\n' : next === 'r' ? '\r' : next === 't' ? '\t' : next, i + 2];
  };
  for (let i = 0; i < spec.length; ) {
    if (spec[i] === '\\' && ESCAPE_CLASSES[spec[i + 1] ?? '']) {
      tests.push(ESCAPE_CLASSES[spec[i + 1]!]!);
      i += 2;
      continue;
    }
    const [from, after] = literal(i);
    if (spec[after] === '-' && after + 1 < spec.length) {
      const [to, afterRange] = literal(after + 1);
      tests.push((c) => c >= from && c <= to);
      i = afterRange;
    } else {
      tests.push((c) => c === from);
      i = after;
    }
  }
  const inClass = (c: string) => tests.some((test) => test(c));
  return UNIVERSE.filter((c) => inClass(c) !== negated);
}

function dedupeBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Runs worth repeating for a rule: single members and mixes of each repeated class (a run of one
 * character and a run that keeps the class's variety both matter: entropy gates and `[a-z]+[0-9]`-style
 * splits react differently), and samples of repeated groups.
 */
export function repeatedUnits(rule: RuleSpec, pieces = patternPieces(rule.pattern)): string[] {
  const units: string[] = [];
  for (const members of pieces.repeatedClasses) {
    const spread = [0, Math.floor(members.length / 3), Math.floor((2 * members.length) / 3), members.length - 1].map((index) => members[index]!);
    units.push(spread[0]!, spread[3]!, [...new Set(spread)].join(''));
  }
  units.push(...pieces.repeatedGroups);
  return [...new Set(units.filter((unit) => unit.length > 0))].slice(0, 12);
}

/**
 * Pathological texts of about `length` characters for one rule: long runs of what its pattern repeats
 * right after each keyword (one window that a regex must cross), keyword-and-run pairs repeated (keyword
 * windows merge into one window as long as the line), an unterminated assignment, and back-to-back
 * near-matches of the whole pattern. One line per shape, so one text carries all of a rule's cases.
 */
export function pathologicalText(rule: RuleSpec, length: number): string {
  const pieces = patternPieces(rule.pattern);
  const units = repeatedUnits(rule, pieces);
  const keywords = rule.keywords.length > 0 ? rule.keywords.slice(0, 4) : [''];
  const lines: string[] = [];
  const fill = (text: string, size: number) => (text.length === 0 ? '' : text.repeat(Math.ceil(size / text.length)).slice(0, size));
  for (const keyword of keywords) {
    for (const unit of units) {
      lines.push(keyword + fill(unit, length));
      lines.push(fill(`${keyword}${fill(unit, 48)}`, length));
      lines.push(`${keyword} = "${fill(unit, length)}`);
    }
  }
  const sample = pieces.sample;
  if (sample.length > 1) lines.push(fill(sample.slice(0, -1), length), fill(`${sample} `, length));
  return lines.join('\n');
}
