/**
 * The regex engine seam: the only module that knows which engine runs a rule.
 *
 * - Built-in rules run on V8's RegExp: fastest in keyword windows (perf-probe §2: 141 MB/s), compiles in
 *   microseconds. They are vetted: written in the common subset of RE2 and JavaScript (a test compiles
 *   every one in re2-wasm and feeds each adversarial input), so they cannot backtrack catastrophically.
 *   V8's linear-time fallback for excessive backtracking is switched on as well, as a second guard; it
 *   does not cover case-insensitive or bounded-repetition patterns, which is why it is not the first one.
 * - User rules (`--rules`, config `rules:`) run on re2js, a pure-JS RE2 with a linear-time guarantee:
 *   nothing a user writes can hang a scan. It is slower (perf-probe: 5-10 MB/s in windows), which only
 *   matters for the few user rules, and it validates RE2 syntax as it compiles.
 *
 * Patterns are RE2 syntax. A leading `(?i)` (or `(?s)`, `(?is)`) applies to the whole pattern.
 */
import v8 from 'node:v8';
import type { RE2JS } from 're2js';

let backtrackingGuarded = false;

/**
 * V8's linear-time fallback on excessive backtracking (the second guard above), switched on before the
 * first pattern is compiled, not when this module loads: after a V8 flag changes, Node compiles each
 * built-in module it loads from source instead of from its code cache (~15 ms of start-up for those
 * the CLI loads), so flags are set once loading is done (src/launch.ts).
 */
function guardBacktracking(): void {
  if (backtrackingGuarded) return;
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  backtrackingGuarded = true;
}

/**
 * For a scan whose input is small (the pre-commit hook): V8 compiles each built-in pattern without its
 * code optimizations from here on, and runs it as bytecode for its first 16 searches instead of one.
 * Compiling the large generic patterns was the largest cost of detection on a five-file staged change
 * (first compile and tier-up ~8 + 8 ms each for the largest, ~2-4x less without optimizations; then
 * ~3 + 1.5 ms, the second compile for machine code at the second search), and a hook's few searches in
 * the stretches around added lines are over before machine code would pay for itself. A large staged
 * file still gets it, after 16 searches. Set before any pattern runs; the flags apply to the process.
 */
export function preferQuickRegexCompile(): void {
  v8.setFlagsFromString('--no-regexp-optimization --regexp-tier-up-ticks=16');
}

/**
 * For a scan large enough for worker threads: V8 compiles each pattern straight to machine code, instead
 * of to bytecode first and again to machine code on its next use. For the large generic patterns each
 * compile cost ~5-14 ms a thread, twice (bench tree: ~120 ms of pattern compiling a thread with the
 * bytecode step, ~55 without); a large scan runs every one of them thousands of times anyway. The flag
 * applies to the process, workers included; patterns already compiled keep what they have.
 *
 * Zero searches before tier-up, not `--no-regexp-tier-up`: this runs while the workers boot, and turning
 * tier-up itself off while another thread runs a regular expression crashed the process now and then
 * (segmentation fault; 5 of 600 processes that set it while two workers started, 0 of 600 with this).
 */
export function preferDirectRegexCompile(): void {
  v8.setFlagsFromString('--regexp-tier-up-ticks=0');
}

/** Called for each match with the span of the secret group and of the whole match. */
export type MatchCallback = (secretStart: number, secretEnd: number, matchStart: number, matchEnd: number) => void;

export interface CompiledPattern {
  readonly engine: 'v8' | 're2js';
  /** Every non-overlapping match that lies inside text[from, to); offsets are into `text`. */
  forEachMatch(text: string, from: number, to: number, secretGroup: number, onMatch: MatchCallback): void;
  /**
   * The earliest match that starts in text[from, from + maxPrefix] (an engine-side lazy prefix, so one
   * call tries every start), reported like forEachMatch; returns where it ends, or -1. For rules that
   * promise their matches start near a keyword (RuleSpec.startsNearKeyword): trying the pattern only there
   * costs a fraction of scanning a window with it.
   */
  matchStartingNear(text: string, from: number, maxPrefix: number, secretGroup: number, onMatch: MatchCallback): number;
  /**
   * A match that starts exactly at `at`, reported like forEachMatch; returns where it ends, or -1. For
   * anchored rules whose every match begins with a known literal (starts.ts): the keyword pass found
   * those places, so one try at each replaces the search from every character.
   */
  matchAt(text: string, at: number, secretGroup: number, onMatch: MatchCallback): number;
  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  /** Number of capture groups, to check `secretGroup` against. */
  readonly groupCount: number;
}

export class PatternError extends Error {}

/** How far past its start an anchored match may reach on the linear engine (matchStartingNear). */
const MAX_ANCHORED_MATCH = 64 * 1024;

interface LeadingFlags {
  body: string;
  ignoreCase: boolean;
  dotAll: boolean;
}

function splitLeadingFlags(pattern: string): LeadingFlags {
  const match = /^\(\?([is]+)\)/.exec(pattern);
  if (!match) return { body: pattern, ignoreCase: false, dotAll: false };
  return { body: pattern.slice(match[0].length), ignoreCase: match[1]!.includes('i'), dotAll: match[1]!.includes('s') };
}

/** Features RE2 accepts but V8 (Node 20) does not, or reads differently. Built-in rules avoid them. */
const NOT_PORTABLE: [RegExp, string][] = [
  [/\(\?[imsU-]+[:)]/, 'inline flags other than one leading (?i)/(?s)'],
  [/\(\?P?</, 'named groups'],
  [/\\[Azpq]|\\Q|\[\[:/, '\\A, \\z, \\p, \\Q or POSIX classes'],
];

let linearEngine: typeof RE2JS | undefined;

/**
 * Loads the linear-time engine; call before compiling user patterns. Lazy because most runs have no
 * user rules and start-up time matters on the pre-commit path.
 */
export async function loadLinearEngine(): Promise<void> {
  linearEngine ??= (await import('re2js')).RE2JS;
}

/** `vetted`: a built-in pattern already checked by the build; its portability checks are skipped. */
export function compilePattern(pattern: string, builtin: boolean, vetted = false): CompiledPattern {
  return builtin ? compileV8(pattern, vetted) : compileRe2js(pattern);
}

function compileV8(pattern: string, vetted: boolean): CompiledPattern {
  guardBacktracking();
  const { body, ignoreCase, dotAll } = splitLeadingFlags(pattern);
  for (const [feature, what] of vetted ? [] : NOT_PORTABLE) {
    if (feature.test(body)) throw new PatternError(`uses ${what}, which the built-in engine does not run the same way`);
  }
  const flags = `gd${ignoreCase ? 'i' : ''}${dotAll ? 's' : ''}`;
  // Parsed when first used if the build checked it: constructing the ~300 built-in patterns up front
  // cost the pre-commit hook ~3 ms, for the handful its change ever runs.
  let regex: RegExp | undefined;
  if (!vetted) {
    try {
      regex = new RegExp(body, flags);
    } catch (error) {
      throw new PatternError((error as Error).message);
    }
  }
  const global = (): RegExp => (regex ??= new RegExp(body, flags));
  let groupCount: number | undefined;
  const prefixed = new Map<number, RegExp>();
  let sticky: RegExp | undefined;
  return {
    engine: 'v8',
    // Counting groups forces V8 to compile the pattern now; built-in rules were checked at build time,
    // so at run time nobody asks, and each pattern compiles on its first use (start-up of the hook path).
    get groupCount() {
      return (groupCount ??= new RegExp(`${body}|`).exec('')!.length - 1);
    },
    test(text) {
      const regex = global();
      regex.lastIndex = 0;
      return regex.test(text);
    },
    forEachMatch(text, from, to, secretGroup, onMatch) {
      const window = from === 0 && to === text.length ? text : text.slice(from, to);
      const regex = global();
      regex.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = regex.exec(window)) !== null) {
        const whole = match.indices![0]!;
        if (whole[0] === whole[1]) regex.lastIndex++;
        const group = match.indices![secretGroup];
        if (group) onMatch(from + group[0], from + group[1], from + whole[0], from + whole[1]);
      }
    },
    matchAt(text, at, secretGroup, onMatch) {
      sticky ??= new RegExp(body, `yd${ignoreCase ? 'i' : ''}${dotAll ? 's' : ''}`);
      sticky.lastIndex = at;
      const match = sticky.exec(text);
      if (!match) return -1;
      const whole = match.indices![0]!;
      const group = match.indices![secretGroup];
      if (group) onMatch(group[0], group[1], whole[0], whole[1]);
      return whole[1];
    },
    matchStartingNear(text, from, maxPrefix, secretGroup, onMatch) {
      // Group 1 is the skipped prefix, so the rule's own groups move up by one.
      let lazy = prefixed.get(maxPrefix);
      if (!lazy) prefixed.set(maxPrefix, (lazy = new RegExp(`([\\s\\S]{0,${maxPrefix}}?)(?:${body})`, `yd${ignoreCase ? 'i' : ''}${dotAll ? 's' : ''}`)));
      lazy.lastIndex = from;
      const match = lazy.exec(text);
      if (!match) return -1;
      const start = match.indices![1]![1];
      const end = match.indices![0]![1];
      const group: [number, number] | undefined = secretGroup === 0 ? [start, end] : match.indices![secretGroup + 1];
      if (group) onMatch(group[0], group[1], start, end);
      return end;
    },
  };
}

function compileRe2js(pattern: string): CompiledPattern {
  const { body, ignoreCase, dotAll } = splitLeadingFlags(pattern);
  const RE2 = linearEngine;
  if (!RE2) throw new Error('internal: loadLinearEngine() must run before user patterns are compiled');
  let regex: RE2JS;
  try {
    regex = RE2.compile(body, (ignoreCase ? RE2.CASE_INSENSITIVE : 0) | (dotAll ? RE2.DOTALL : 0));
  } catch (error) {
    throw new PatternError(`not valid RE2 syntax: ${(error as Error).message}`);
  }
  const prefixed = new Map<number, RE2JS>();
  return {
    engine: 're2js',
    groupCount: regex.groupCount(),
    test: (text) => regex.matcher(text).find(),
    forEachMatch(text, from, to, secretGroup, onMatch) {
      const window = from === 0 && to === text.length ? text : text.slice(from, to);
      const matcher = regex.matcher(window);
      while (matcher.find()) {
        const start = matcher.start(secretGroup);
        if (start < 0) continue;
        onMatch(from + start, from + matcher.end(secretGroup), from + matcher.start(0), from + matcher.end(0));
      }
    },
    matchAt(text, at, secretGroup, onMatch) {
      // lookingAt() anchors at the slice's start; bounded as matchStartingNear is.
      const matcher = regex.matcher(text.slice(at, at + MAX_ANCHORED_MATCH));
      if (!matcher.lookingAt()) return -1;
      if (matcher.start(secretGroup) >= 0) onMatch(at + matcher.start(secretGroup), at + matcher.end(secretGroup), at, at + matcher.end(0));
      return at + matcher.end(0);
    },
    matchStartingNear(text, from, maxPrefix, secretGroup, onMatch) {
      let anchored = prefixed.get(maxPrefix);
      if (!anchored) {
        const flags = (ignoreCase ? RE2.CASE_INSENSITIVE : 0) | (dotAll ? RE2.DOTALL : 0);
        prefixed.set(maxPrefix, (anchored = RE2.compile(`((?s:.){0,${maxPrefix}}?)(?:${body})`, flags)));
      }
      // Bounded so a rule that matches nowhere near costs its reach, not the rest of the file.
      const matcher = anchored.matcher(text.slice(from, from + maxPrefix + MAX_ANCHORED_MATCH));
      if (!matcher.lookingAt()) return -1;
      const start = from + matcher.end(1);
      const end = from + matcher.end(0);
      const group = secretGroup === 0 ? 0 : secretGroup + 1;
      if (matcher.start(group) >= 0) onMatch(group === 0 ? start : from + matcher.start(group), from + matcher.end(group), start, end);
      return end;
    },
  };
}
