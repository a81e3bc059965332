/**
 * The detector: Chunk in, Candidates out. The second stage of the pipeline (DESIGN §1).
 *
 * 1. One keyword pass (prefilter.ts) over the raw bytes. No hit and no keyword-less rule: done, and the
 *    bytes were never decoded. This is where almost every file ends.
 * 2. For each rule with hits, windows around the hits: back to the start of the line (at most 256
 *    characters) and 1 KiB forward, to the end of that line (64 KiB for multi-line rules). Overlapping
 *    windows are merged and the rule's regex runs only there. perf-probe §2: this found every match that
 *    running each rule over whole files found, at 60-140 MB/s instead of 0.5. The forward window does not
 *    stop at the first newline because patterns may legitimately cross one (`key =\n  "value"`).
 * 3. Each match's secret goes through the rule's entropy floor, its stopwords, the global placeholder
 *    filter and its validators, in that order (cheapest first).
 */
import { isAscii } from 'node:buffer';
import type { Candidate, ChunkOrigin, RuleSpec } from '../types.js';
import { decodeBase64Line, DECODE_TRIGGERS, decodeUrlLine, mapToOriginal, MAX_DECODED_LINE, type Encoding } from './decode.js';
import { shannonEntropy } from './entropy.js';
import { isPlaceholder } from './placeholders.js';
import { KeywordMatcher } from './prefilter.js';
import { compilePattern, type CompiledPattern, type MatchCallback } from './regex.js';
import { literalStarts } from './starts.js';
import { hasUtf16Bom } from '../util/bom.js';
import { escapeRegExp } from '../util/regexp.js';
import { lastAtOrBefore } from '../util/search.js';
import { getValidator, type Validator } from './validators/index.js';

const WINDOW_BACK = 256;
const WINDOW_FORWARD = 1024;
const WINDOW_FORWARD_MULTILINE = 64 * 1024;
/** A window that ends mid-line is extended to the line's end, but not by more than this. */
const LINE_END_SLACK = 4096;

export interface CompiledRule {
  spec: RuleSpec;
  pattern: CompiledPattern;
  validators: { name: string; check: Validator }[];
  stopwords: string[];
  /** An anchored rule's literal starts (starts.ts): tried only where the keyword pass finds one. */
  starts?: string[];
}

export class RuleCompileError extends Error {
  constructor(
    readonly rule: RuleSpec,
    message: string,
  ) {
    super(`${rule.origin}: rule "${rule.id}": ${message}`);
  }
}

/**
 * Literal starts pay where a rule's promise is long (the generic family: ~100 characters, every one of
 * them a start the lazy prefix would try). For a rule whose matches start at or just before its
 * keyword, the lazy prefix tries a handful of places, and a start search of its own would cost more.
 */
const STARTS_FROM_PROMISE = 16;

/**
 * `vetted`: the rule was compiled and checked by the build (dist/rules.json), so the checks that cost
 * start-up time (portability, group count) are not repeated.
 */
export function compileRule(spec: RuleSpec, vetted = false): CompiledRule {
  let pattern: CompiledPattern;
  try {
    pattern = compilePattern(spec.pattern, spec.builtin, vetted);
  } catch (error) {
    throw new RuleCompileError(spec, `pattern does not compile: ${(error as Error).message}`);
  }
  if (!vetted && spec.secretGroup > pattern.groupCount) {
    throw new RuleCompileError(spec, `secretGroup ${spec.secretGroup} but the pattern has ${pattern.groupCount} capture group(s)`);
  }
  const validators = spec.validators.map((name) => {
    const check = getValidator(name);
    if (!check) throw new RuleCompileError(spec, `unknown validator "${name}"`);
    return { name, check };
  });
  const starts = spec.startsNearKeyword !== undefined && spec.startsNearKeyword >= STARTS_FROM_PROMISE && spec.keywords.length > 0 ? literalStarts(spec.pattern) : undefined;
  return { spec, pattern, validators, stopwords: spec.stopwords.map((word) => word.toLowerCase()), ...(starts ? { starts } : {}) };
}

/**
 * The automata of a detector for these rules, as shipped in dist/ (scripts/build.mjs): its keywords'
 * (prefilter.bin) and its literal starts' (starts.bin; undefined when no rule has any).
 */
export function builtinAutomatonImages(rules: readonly CompiledRule[]): { keywords: Buffer; starts: Buffer | undefined } {
  const detector = new Detector(rules);
  return { keywords: detector.prefilterImage(), starts: detector.startsImage() };
}

/** A chunk for the detector: bytes as read (preferred: decoded only if a keyword hits) or text. */
export interface DetectInput {
  origin: ChunkOrigin;
  bytes?: Uint8Array;
  text?: string;
  /** 1-based line number of the first line (hunks start mid-file). */
  startLine?: number;
  /** Set for text that is itself the product of decoding: it is not decoded again. */
  noDecode?: boolean;
  /**
   * Number lines as Git does: only LF ends one, a lone CR stays inside its line. For history chunks, whose
   * startLine is Git's; elsewhere a lone CR ends a line too, as editors and SARIF viewers count them.
   */
  gitLineNumbers?: boolean;
}

/** Detector.lineContext(): character distances, and the multi-line keywords as one case-blind pattern. */
export interface LineContext {
  reach: number;
  multilineReach: number;
  markers: RegExp | null;
  /** A marker that makes every line of the file a candidate for decoding: only the whole file will do. */
  wholeFileTrigger: string;
}

/** A file this large is not decoded line by line even when it looks like a Kubernetes Secret. */
const MAX_DECODE_ALL_LINES = 1024 * 1024;
/** The trigger that makes every line of a file a decoding candidate. */
const WHOLE_FILE_TRIGGER = 'kind: secret';

export class Detector {
  readonly rules: readonly CompiledRule[];
  private readonly matcher: KeywordMatcher;
  /** For each keyword of the matcher, the indexes of the rules that use it. */
  private readonly rulesByKeyword: number[][];
  /**
   * The literal starts of anchored rules (CompiledRule.starts), searched for only in the stretch before
   * their keywords: in the keyword pass, starts as common as `key` or `env` cost more than they saved.
   */
  private readonly startMatcher: KeywordMatcher | undefined;
  /** For each start of startMatcher, the rules it begins matches of, as their slots in startSlot. */
  private readonly slotsByStart: number[][];
  /** For each rule with starts, its slot: findStarts collects each one's starts in an array of slots. */
  private readonly startSlot: (number | undefined)[];
  private readonly slotCount: number;
  private readonly startLengths: number[];
  private readonly keywordlessRules: number[];
  /** Rules with a generality above 0 (built-in `generic-*` types, JWT, Bearer): they yield to provider rules. */
  private readonly genericRules: Set<number>;
  private readonly genericRuleIds: Set<string>;
  /** Rule id to generality (rules/README.md): a candidate yields to an overlapping one of a lower one. */
  private readonly generality: Map<string, number>;
  private readonly keywordLengths: number[];
  /** For each keyword of the matcher, the encoding it suggests looking for on its line (decode.ts). */
  private readonly decodeTriggers: (Encoding | undefined)[];
  private readonly wholeFileTrigger: number;
  /**
   * For rules with startsNearKeyword: how many characters before a keyword's end a match may start (the
   * promise plus the longest keyword), the engine's prefix bound. Undefined for windowed rules.
   */
  private readonly anchorReach: (number | undefined)[];
  private context: LineContext | undefined;

  constructor(rules: readonly CompiledRule[]) {
    this.rules = rules;
    this.generality = new Map(rules.map((rule) => [rule.spec.id, rule.spec.generality ?? (rule.spec.builtin && rule.spec.credentialType.startsWith('generic') ? 3 : 0)]));
    this.genericRules = new Set(rules.flatMap((rule, index) => (this.generality.get(rule.spec.id)! > 0 ? [index] : [])));
    this.genericRuleIds = new Set([...this.genericRules].map((index) => rules[index]!.spec.id));
    this.anchorReach = rules.map((rule) =>
      rule.spec.startsNearKeyword === undefined || rule.spec.keywords.length === 0
        ? undefined
        : rule.spec.startsNearKeyword + Math.max(...rule.spec.keywords.map((keyword) => keyword.length)),
    );
    const keywordIndex = new Map<string, number>();
    this.rulesByKeyword = [];
    this.keywordlessRules = [];
    rules.forEach((rule, ruleIndex) => {
      if (rule.spec.keywords.length === 0) {
        this.keywordlessRules.push(ruleIndex);
        return;
      }
      for (const keyword of new Set(rule.spec.keywords.map((k) => k.toLowerCase()))) {
        let index = keywordIndex.get(keyword);
        if (index === undefined) {
          index = keywordIndex.size;
          keywordIndex.set(keyword, index);
          this.rulesByKeyword.push([]);
        }
        this.rulesByKeyword[index]!.push(ruleIndex);
      }
    });
    for (const keyword of Object.keys(DECODE_TRIGGERS)) {
      if (!keywordIndex.has(keyword)) {
        keywordIndex.set(keyword, keywordIndex.size);
        this.rulesByKeyword.push([]);
      }
    }
    const keywords = [...keywordIndex.keys()];
    const startIndex = new Map<string, number>();
    this.slotsByStart = [];
    this.startSlot = [];
    let slotCount = 0;
    rules.forEach((rule, ruleIndex) => {
      if (this.anchorReach[ruleIndex] === undefined || !rule.starts) return;
      const slot = slotCount++;
      this.startSlot[ruleIndex] = slot;
      for (const start of rule.starts) {
        if (!startIndex.has(start)) {
          startIndex.set(start, startIndex.size);
          this.slotsByStart.push([]);
        }
        this.slotsByStart[startIndex.get(start)!]!.push(slot);
      }
    });
    this.slotCount = slotCount;
    this.startLengths = [...startIndex.keys()].map((start) => start.length);
    this.startMatcher = startIndex.size > 0 ? KeywordMatcher.specializedFor([...startIndex.keys()]) : undefined;
    this.matcher = KeywordMatcher.forKeywords(keywords);
    this.keywordLengths = keywords.map((keyword) => keyword.length);
    this.decodeTriggers = keywords.map((keyword) => DECODE_TRIGGERS[keyword]);
    this.wholeFileTrigger = keywordIndex.get(WHOLE_FILE_TRIGGER)!;
  }

  /**
   * How far from a stretch of lines this detector can look for what touches it (around.ts): a keyword
   * that far before the stretch opens a window reaching into it, and a window opened in it runs that far
   * on. Multi-line rules look much further, so their keywords are searched for on their own (`markers`,
   * with the whole-file decoding trigger); null when some multi-line rule has no keyword to search for.
   */
  lineContext(): LineContext {
    if (this.context) return this.context;
    const longestKeyword = Math.max(0, ...this.keywordLengths);
    const reach = WINDOW_FORWARD + WINDOW_BACK + Math.max(longestKeyword, ...this.anchorReach.map((reach) => reach ?? 0));
    const multiline = this.rules.filter((rule) => rule.spec.multiline);
    const markers = multiline.some((rule) => rule.spec.keywords.length === 0)
      ? null
      : new RegExp([WHOLE_FILE_TRIGGER, ...new Set(multiline.flatMap((rule) => rule.spec.keywords.map((keyword) => keyword.toLowerCase())))].map(escapeRegExp).join('|'), 'gi');
    const longestMarker = Math.max(0, ...multiline.flatMap((rule) => rule.spec.keywords.map((keyword) => keyword.length)));
    this.context = { reach, multilineReach: WINDOW_FORWARD_MULTILINE + WINDOW_BACK + longestMarker, markers, wholeFileTrigger: WHOLE_FILE_TRIGGER };
    return this.context;
  }

  /** The keyword automaton as bytes, for the build to ship with the built-in rules (prefilter.ts). */
  prefilterImage(): Buffer {
    return this.matcher.toImage();
  }

  /** The literal starts' automaton as bytes, likewise. */
  startsImage(): Buffer | undefined {
    return this.startMatcher?.toImage();
  }

  detect(input: DetectInput): Candidate[] {
    let hits: number[]; // flat pairs: keyword index, offset just past the keyword
    let text: string;
    if (input.text !== undefined || hasUtf16Bom(input.bytes!)) {
      // UTF-16 puts a NUL between ASCII letters, so keywords are only visible after decoding.
      text = input.text ?? decode(input.bytes!).text;
      hits = this.matcher.findInString(text);
    } else {
      const bytes = input.bytes!;
      hits = this.matcher.findInBytes(bytes);
      if (hits.length === 0 && this.keywordlessRules.length === 0) return [];
      const decoded = decode(bytes);
      text = decoded.text;
      // Byte offsets equal string offsets only for ASCII text without a byte-order mark.
      if (!decoded.sameOffsets) hits = this.matcher.findInString(text);
    }
    if (hits.length === 0 && this.keywordlessRules.length === 0) return [];
    return this.detectHits(text, hits, input.origin, new LineIndex(text, input.startLine ?? 1, input.gitLineNumbers === true), input.noDecode === true);
  }

  /*
   * detect() in parts, each its own function: V8 compiled it as one (with everything it called inlined)
   * at ~100 ms a time, again after each deoptimization, in each thread: a second of a bench scan's
   * compiler time. Parts compile, and recompile, on their own.
   */

  /** The candidates in `text`, given its keyword hits. */
  private detectHits(text: string, hits: number[], origin: ChunkOrigin, lines: LineIndex, noDecode: boolean): Candidate[] {
    const plan = this.planSearch(text, hits);
    const candidates: Candidate[] = [];
    const generic: Candidate[] = [];
    this.searchWindows(text, plan.windowsByRule, lines, origin, candidates, generic);
    if (plan.anchorsByRule.size > 0) this.searchAnchored(text, plan.anchorsByRule, plan.startRanges, lines, origin, candidates, generic);
    // A generic match that overlaps a provider-specific one is the same secret, named less precisely.
    if (generic.length > 0) this.addUnshadowed(generic, candidates);
    if (noDecode) return candidates;
    const decoded = this.detectEncoded(text, hits, lines, origin, candidates);
    if (decoded.length === 0) return candidates;
    // What decoding found is the actual secret; a generic match on its encoded form says less.
    return [...candidates.filter((c) => !this.genericRuleIds.has(c.ruleId) || !decoded.some((d) => overlaps(d, c.start, c.end))), ...decoded];
  }

  /**
   * Where each rule runs: windows around its keywords, or (rules that promise their matches start near a
   * keyword) the keywords' ends, and the stretches before them to look for literal starts in.
   */
  private planSearch(text: string, hits: number[]): { windowsByRule: Map<number, number[]>; anchorsByRule: Map<number, number[]>; startRanges: number[] } {
    const keywordLengths = this.keywordLengths;
    // Windows are merged as hits arrive: hits come in text order and a window's start never decreases,
    // so a hit inside a rule's current window only extends it. The line-end lookup is cached, which keeps
    // keyword-dense megabyte lines (minified bundles) linear.
    const windowsByRule = new Map<number, number[]>();
    const anchorsByRule = new Map<number, number[]>();
    const startRanges: number[] = [];
    const lineEnds = new LineEndFinder(text);
    const lineStarts = new LineFinder(text);
    for (let h = 0; h < hits.length; h += 2) {
      const keyword = hits[h]!;
      const end = hits[h + 1]!;
      const start = end - keywordLengths[keyword]!;
      for (const ruleIndex of this.rulesByKeyword[keyword]!) {
        if (this.anchorReach[ruleIndex] !== undefined) {
          let anchors = anchorsByRule.get(ruleIndex);
          if (!anchors) anchorsByRule.set(ruleIndex, (anchors = []));
          anchors.push(end);
          if (this.startSlot[ruleIndex] !== undefined) {
            // Each rule's own reach: one long promise (flask's `.update(` 200 characters before its
            // keyword) would otherwise lengthen every stretch. A stretch that begins before the last one
            // only widens it: a start found twice is tried once (matchAtStarts).
            const from = Math.max(0, end - this.anchorReach[ruleIndex]!);
            const last = startRanges.length - 1;
            if (last > 0 && from <= startRanges[last]!) {
              startRanges[last] = end;
              if (from < startRanges[last - 1]!) startRanges[last - 1] = from;
            } else startRanges.push(from, end);
          }
          continue;
        }
        const forward = this.rules[ruleIndex]!.spec.multiline ? WINDOW_FORWARD_MULTILINE : WINDOW_FORWARD;
        let windows = windowsByRule.get(ruleIndex);
        if (!windows) windowsByRule.set(ruleIndex, (windows = []));
        const last = windows.length - 1;
        if (last > 0 && start <= windows[last]!) {
          windows[last] = Math.max(windows[last]!, lineEnds.windowEnd(end + forward));
        } else {
          windows.push(Math.max(lineStarts.lineStart(start), start - WINDOW_BACK), lineEnds.windowEnd(end + forward));
        }
      }
    }
    for (const ruleIndex of this.keywordlessRules) windowsByRule.set(ruleIndex, [0, text.length]);
    return { windowsByRule, anchorsByRule, startRanges };
  }

  /** A match's checks, then into the list its rule's generality decides. */
  private collector(ruleIndex: number, text: string, lines: LineIndex, origin: ChunkOrigin, candidates: Candidate[], generic: Candidate[]): MatchCallback {
    const rule = this.rules[ruleIndex]!;
    const into = this.genericRules.has(ruleIndex) ? generic : candidates;
    return (secretStart, secretEnd, matchStart) => {
      const candidate = this.check(rule, text, secretStart, secretEnd, matchStart, lines, origin);
      if (candidate) into.push(candidate);
    };
  }

  private searchWindows(text: string, windowsByRule: Map<number, number[]>, lines: LineIndex, origin: ChunkOrigin, candidates: Candidate[], generic: Candidate[]): void {
    for (const [ruleIndex, windows] of windowsByRule) {
      const { pattern, spec } = this.rules[ruleIndex]!;
      const onMatch = this.collector(ruleIndex, text, lines, origin, candidates, generic);
      for (let w = 0; w < windows.length; w += 2) pattern.forEachMatch(text, windows[w]!, windows[w + 1]!, spec.secretGroup, onMatch);
    }
  }

  /**
   * Anchored rules: one try per keyword, from `reach` before its end (ends never decrease from one hit
   * to the next; starts can, for a longer keyword ending later). A match consumes its text, as in a
   * left-to-right scan, and several may start before one keyword (names a negative alternative
   * consumed), so a keyword is tried until the next possible start is past it. A failed try from
   * `next` rules out every start up to next + reach, so dense keywords do not retry the same starts.
   */
  private searchAnchored(
    text: string,
    anchorsByRule: Map<number, number[]>,
    startRanges: number[],
    lines: LineIndex,
    origin: ChunkOrigin,
    candidates: Candidate[],
    generic: Candidate[],
  ): void {
    let startsBySlot: number[][] | undefined;
    for (const [ruleIndex, anchors] of anchorsByRule) {
      const { pattern, spec } = this.rules[ruleIndex]!;
      const reach = this.anchorReach[ruleIndex]!;
      const onMatch = this.collector(ruleIndex, text, lines, origin, candidates, generic);
      const slot = this.startSlot[ruleIndex];
      if (slot !== undefined) {
        startsBySlot ??= this.findStarts(text, startRanges);
        matchAtStarts(pattern, spec.secretGroup, text, anchors, startsBySlot[slot]!, reach, onMatch);
        continue;
      }
      let next = 0;
      for (const keywordEnd of anchors) {
        next = Math.max(keywordEnd - reach, next);
        while (next <= keywordEnd) {
          const matchEnd = pattern.matchStartingNear(text, next, reach, spec.secretGroup, onMatch);
          next = matchEnd === -1 ? next + reach + 1 : Math.max(matchEnd, next + 1);
        }
      }
    }
  }

  /** Adds the generic candidates no provider-specific one, nor a less generic one, overlaps. */
  private addUnshadowed(generic: Candidate[], candidates: Candidate[]): void {
    const specific = candidates.slice();
    const rank = (candidate: Candidate) => this.generality.get(candidate.ruleId)!;
    for (const candidate of generic) {
      if (specific.some((other) => overlaps(other, candidate.start, candidate.end))) continue;
      // Generic rules rank among themselves too: Bearer <JWT> is a JWT, and a JWT under a secret-named setting is a JWT.
      if (!generic.some((other) => rank(other) < rank(candidate) && overlaps(other, candidate.start, candidate.end))) candidates.push(candidate);
    }
  }

  /**
   * Each rule's literal starts in the ranges (flat [from, to] pairs, ascending; extended here), as
   * ascending offsets, by the rule's slot (startSlot).
   */
  private findStarts(text: string, ranges: number[]): number[][] {
    const bySlot: number[][] = [];
    for (let slot = 0; slot < this.slotCount; slot++) bySlot.push([]);
    const matcher = this.startMatcher!;
    // A start that begins by a range's end may finish after it.
    for (let r = 1; r < ranges.length; r += 2) ranges[r] = Math.min(text.length, ranges[r]! + matcher.longestKeyword - 1);
    const hits = matcher.findInStretches(text, ranges);
    for (let h = 0; h < hits.length; h += 2) {
      const start = hits[h + 1]! - this.startLengths[hits[h]!]!;
      for (const slot of this.slotsByStart[hits[h]!]!) insertAscending(bySlot[slot]!, start);
    }
    return bySlot;
  }

  /**
   * Candidates hidden in base64 or URL-encoding on the lines of trigger keywords (decode.ts), reported at
   * the encoded span. One that overlaps a plainly visible provider-specific candidate is the same finding,
   * already reported, and dropped.
   */
  private detectEncoded(text: string, hits: number[], lines: LineIndex, origin: ChunkOrigin, plain: Candidate[]): Candidate[] {
    const wanted = new Map<number, Encoding>();
    let allLines = false;
    // Hits come in text order, so each hit's line is found from the last one's (LineFinder): linear
    // overall even for thousands of hits on one minified line (a search per hit was quadratic).
    const lineOf = new LineFinder(text);
    for (let h = 0; h < hits.length; h += 2) {
      const keyword = hits[h]!;
      const encoding = this.decodeTriggers[keyword];
      if (encoding === undefined) continue;
      if (keyword === this.wholeFileTrigger) {
        allLines = true;
        continue;
      }
      const offset = hits[h + 1]! - this.keywordLengths[keyword]!;
      // A keyword overlapping an earlier, longer one can start before the line already seen; rare.
      if (lineOf.isBeforeCurrentLine(offset)) continue;
      const lineStart = lineOf.lineStart(offset);
      if (offset - lineStart <= MAX_DECODED_LINE) wanted.set(lineStart, encoding);
    }
    if (allLines && text.length <= MAX_DECODE_ALL_LINES) {
      for (let start = 0; start < text.length; start = text.indexOf('\n', start) + 1 || text.length) {
        if (!wanted.has(start)) wanted.set(start, 'base64');
      }
    }
    if (wanted.size === 0) return [];

    const found: Candidate[] = [];
    for (const [lineStart, encoding] of wanted) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1) lineEnd = text.length;
      if (text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
      const line = text.slice(lineStart, lineEnd);
      const decoded = encoding === 'base64' ? decodeBase64Line(line) : decodeUrlLine(line);
      if (!decoded) continue;
      const decodedHits = this.matcher.findInString(decoded.text);
      if (decodedHits.length === 0 && this.keywordlessRules.length === 0) continue;
      for (const candidate of this.detectHits(decoded.text, decodedHits, origin, new LineIndex(decoded.text, 1), true)) {
        const span = mapToOriginal(decoded, candidate.start, candidate.end);
        if (!span) continue;
        const start = lineStart + span[0];
        const end = lineStart + span[1];
        if (plain.some((other) => !this.genericRuleIds.has(other.ruleId) && overlaps(other, start, end))) continue;
        if (found.some((other) => other.ruleId === candidate.ruleId && overlaps(other, start, end))) continue;
        found.push({ ...candidate, ...lines.place(start, end), origin, decoded: encoding });
      }
    }
    return found;
  }

  private check(
    rule: CompiledRule,
    text: string,
    start: number,
    end: number,
    matchStart: number,
    lines: LineIndex,
    origin: ChunkOrigin,
  ): Candidate | undefined {
    if (end <= start) return undefined;
    const secret = detach(text.slice(start, end));
    const entropy = shannonEntropy(secret);
    if (rule.spec.entropy !== undefined && entropy < rule.spec.entropy) return undefined;
    if (rule.stopwords.length > 0) {
      const lower = secret.toLowerCase();
      if (rule.stopwords.some((word) => lower.includes(word))) return undefined;
    }
    if (isPlaceholder(secret)) return undefined;
    const validated: string[] = [];
    for (const validator of rule.validators) {
      if (!validator.check(secret, text.slice(Math.min(matchStart, start), start))) return undefined;
      validated.push(validator.name);
    }
    return { ruleId: rule.spec.id, secret, ...lines.place(start, end), validated, entropy, origin };
  }
}

/**
 * An anchored rule with literal starts: the leftmost, non-overlapping matches that begin within `reach`
 * before a keyword's end, as the engine-side search finds them, but tried only at the places the keyword
 * pass saw a start in those ranges. Every match begins with a start, and the keyword pass reports every
 * occurrence of one, so no match is missed; the anchored test compares both ways on every such rule.
 */
function matchAtStarts(pattern: CompiledPattern, secretGroup: number, text: string, anchors: number[], starts: number[], reach: number, onMatch: MatchCallback): void {
  let next = 0;
  let s = 0;
  for (const keywordEnd of anchors) {
    next = Math.max(keywordEnd - reach, next);
    while (s < starts.length && starts[s]! < next) s++;
    while (s < starts.length && starts[s]! <= keywordEnd) {
      const at = starts[s]!;
      const matchEnd = pattern.matchAt(text, at, secretGroup, onMatch);
      // A match consumes its text; a failed start is done with (and so are its duplicates).
      next = matchEnd === -1 ? at + 1 : Math.max(matchEnd, at + 1);
      while (s < starts.length && starts[s]! < next) s++;
    }
  }
}

/**
 * Adds `value` to an ascending list, from the back. Hits come in order of their ends, so a start arrives
 * at most a start's length out of order, and this costs a step or two where sorting each list with a
 * comparator was half of findStarts' time.
 */
function insertAscending(list: number[], value: number): void {
  let at = list.length;
  while (at > 0 && list[at - 1]! > value) at--;
  if (at === list.length) list.push(value);
  else list.splice(at, 0, value);
}


/** Text of a file's bytes: UTF-16 when it has a BOM, UTF-8 otherwise (BOM dropped). */
export function decode(bytes: Uint8Array): { text: string; sameOffsets: boolean } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) {
    return { text: buffer.toString('utf16le', 2), sameOffsets: false };
  }
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    // An odd trailing byte is half a code unit: dropped, as utf16le decoding drops it (swap16 throws).
    const swapped = Buffer.from(buffer.subarray(2, buffer.length - ((buffer.length - 2) % 2)));
    swapped.swap16();
    return { text: swapped.toString('utf16le'), sameOffsets: false };
  }
  if (buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
    return { text: buffer.toString('utf8', 3), sameOffsets: false };
  }
  // latin1 makes a one-byte string without validating UTF-8: the cheapest decode for ASCII.
  if (isAscii(buffer)) return { text: buffer.toString('latin1'), sameOffsets: true };
  return { text: buffer.toString('utf8'), sameOffsets: false };
}

function overlaps(candidate: Candidate, start: number, end: number): boolean {
  return candidate.start < end && start < candidate.end;
}

/**
 * The start of the line holding an offset, for offsets that arrive in text order (keyword hits): the
 * current line is kept, so a hit on it costs nothing (a backward scan per hit read up to 256 characters
 * each time), and a hit past it is found with one backward and one forward native scan, which never go
 * over text twice (an indexOf call per line in between was ~40% of detectEncoded's time). Lines end at
 * LF; a lone CR only makes a window start earlier, never later.
 */
class LineFinder {
  private currentStart = 0;
  private nextNewline: number;

  constructor(private readonly text: string) {
    this.nextNewline = text.indexOf('\n');
    if (this.nextNewline === -1) this.nextNewline = text.length;
  }

  /** An offset before the current line: a keyword overlapping an earlier, longer one. */
  isBeforeCurrentLine(offset: number): boolean {
    return offset < this.currentStart;
  }

  lineStart(offset: number): number {
    if (offset < this.currentStart) return this.text.lastIndexOf('\n', offset - 1) + 1;
    if (this.nextNewline < offset) {
      // Past the current line: the newline before the offset is that line's end or later.
      this.currentStart = this.text.lastIndexOf('\n', offset - 1) + 1;
      const newline = this.text.indexOf('\n', offset);
      this.nextNewline = newline === -1 ? this.text.length : newline;
    }
    return this.currentStart;
  }
}

/**
 * Where a window that should reach `proposed` ends: the end of that line, but at most LINE_END_SLACK
 * further. Remembers the last newline found, so many hits on one long line cost one search.
 */
class LineEndFinder {
  private searchedFrom = Number.POSITIVE_INFINITY;
  private newlineAt = -1;

  constructor(private readonly text: string) {}

  windowEnd(proposed: number): number {
    const text = this.text;
    if (proposed >= text.length) return text.length;
    if (!(proposed >= this.searchedFrom && proposed <= this.newlineAt)) {
      const newline = text.indexOf('\n', proposed);
      this.searchedFrom = proposed;
      this.newlineAt = newline === -1 ? text.length : newline;
    }
    return Math.min(this.newlineAt, proposed + LINE_END_SLACK);
  }
}

const LINE_CONTEXT = 2048;

/**
 * A copy of a slice that does not keep the whole chunk alive: V8 slices share their parent's storage,
 * and candidates outlive the chunk they came from.
 */
function detach(slice: string): string {
  return slice.length < 16 ? slice : Buffer.from(slice, 'utf16le').toString('utf16le');
}

/**
 * Offsets to 1-based line and column (UTF-16 code units, as SARIF's default columnKind). Lines end at
 * LF, CRLF or a lone CR. Built on first use: most chunks never need it.
 */
export class LineIndex {
  private starts: number[] | undefined;

  constructor(
    private readonly text: string,
    private readonly firstLine: number,
    /** Only LF ends a line (Git's numbering); otherwise a lone CR does too. */
    private readonly lfOnly = false,
  ) {}

  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts();
    const index = lastAtOrBefore(starts, offset);
    return { line: this.firstLine + index, column: offset - starts[index]! + 1 };
  }

  /** Where [start, end) lies, as a candidate reports it: offsets, 1-based positions and the line's text. */
  place(start: number, end: number): Pick<Candidate, 'start' | 'end' | 'line' | 'column' | 'endLine' | 'endColumn' | 'lineText'> {
    const from = this.position(start);
    const to = this.position(end);
    return { start, end, line: from.line, column: from.column, endLine: to.line, endColumn: to.column, lineText: detach(this.lineText(start, end)) };
  }

  /**
   * The line holding `offset`, clipped to LINE_CONTEXT characters either side of [offset, until) so a
   * minified megabyte-long line is not copied for every candidate on it.
   */
  lineText(offset: number, until = offset): string {
    const starts = this.lineStarts();
    const { line } = this.position(offset);
    const index = line - this.firstLine;
    let end = index + 1 < starts.length ? starts[index + 1]! : this.text.length;
    while (end > starts[index]! && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(Math.max(starts[index]!, offset - LINE_CONTEXT), Math.min(end, until + LINE_CONTEXT));
  }

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    const text = this.text;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) starts.push(i + 1);
      else if (code === 13 && !this.lfOnly && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.starts = starts;
    return starts;
  }
}
