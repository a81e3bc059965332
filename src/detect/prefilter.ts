/**
 * Keyword prefilter: one case-insensitive Aho-Corasick pass that says which rules may match where.
 *
 * It runs over raw bytes before any decoding (a Buffer) or over a decoded string; keywords are ASCII, so
 * both index spaces agree for ASCII text and the same automaton serves both. Most files have no hit and
 * are finished here. perf-probe §2: a flat Int32Array DFA runs at ~290 MB/s where a V8 alternation regex
 * runs at ~77 MB/s and misses overlapping keywords; modern-ahocorasick goes superlinear on non-ASCII.
 *
 * Two things keep the hot loop short with ~800 keywords (measured 1.4x over a plain 128-column DFA on
 * the bench tree):
 * - columns are character classes, not bytes: every character no keyword uses (and every byte >= 128)
 *   is one class that leads back to the root, so the table is ~60 columns wide instead of 128, fits the
 *   cache better, and non-ASCII needs no branch;
 * - a transition holds the next state's row offset, negated (~) when that state ends a keyword, so one
 *   load and one sign test replace a separate "has output" table.
 */
import { runInThisContext } from 'node:vm';

/**
 * The automaton for the built-in rules, built by `npm run build` (dist/prefilter.bin) and loaded with
 * them: building it costs ~14 ms of a cold start, a tenth of what the pre-commit hook may take. Used
 * whenever a detector asks for exactly its keywords (no rules of the user's, none disabled).
 */
let prebuilt: KeywordMatcher | undefined;

export function usePrebuiltMatcher(matcher: KeywordMatcher): void {
  matcher.specializeAfter(SPECIALIZE_AFTER_CHARACTERS);
  prebuilt = matcher;
}

/**
 * How much text a matcher walks before it is specialized (specialize()): compiling the specialized
 * walks costs ~1-2 ms, cold, and pays only over a few hundred KiB of input, which a scan of a few
 * files (the pre-commit hook's stretches around added lines) never reaches.
 */
const SPECIALIZE_AFTER_CHARACTERS = 256 * 1024;

export class KeywordMatcher {
  readonly keywords: readonly string[];
  /** transitions[row + class] = next row (state << shift), or ~row when the next state has outputs. */
  private readonly transitions: Int32Array;
  /** Character class of each byte / char code below 256; 0 is "in no keyword". */
  private readonly classes: Uint8Array;
  private readonly shift: number;
  /** For each state, the keywords that end there (own output plus those reached by failure links). */
  private readonly outputs: (number[] | undefined)[];
  private readonly keywordLengths: Int32Array;
  readonly longestKeyword: number;
  /** findInBytes and findInString: walkBytes and walkString over this automaton, specialized by specialize(). */
  private walk: (bytes: Uint8Array) => number[] = (bytes) =>
    walkBytes(bytes, this.transitions, this.classes, this.shift, this.outputs, this.keywordLengths, this.longestKeyword, finishWalks);
  private walkText: (text: string, ranges: readonly number[]) => number[] = (text, ranges) => walkString(text, ranges, this.transitions, this.classes, this.shift, this.outputs);
  /** Characters still to walk before specialize() runs; Infinity when it is not to run. */
  private untilSpecialized = Infinity;

  /** The prebuilt automaton when it was built for exactly these keywords, else a new one. */
  static forKeywords(keywords: readonly string[]): KeywordMatcher {
    if (prebuilt && prebuilt.keywords.length === keywords.length && prebuilt.keywords.every((keyword, index) => keyword === keywords[index])) return prebuilt;
    return new KeywordMatcher(keywords);
  }

  /** An image of the built automaton: [header length][header JSON][classes][transitions], little-endian. */
  toImage(): Buffer {
    const header = Buffer.from(JSON.stringify({ keywords: this.keywords, shift: this.shift, outputs: this.outputs.map((out) => out ?? null) }));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    return Buffer.concat([length, header, Buffer.from(this.classes), Buffer.from(this.transitions.buffer, this.transitions.byteOffset, this.transitions.byteLength)]);
  }

  static fromImage(image: Uint8Array): KeywordMatcher {
    const bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
    const headerLength = bytes.readUInt32LE(0);
    const header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as { keywords: string[]; shift: number; outputs: (number[] | null)[] };
    const classesAt = 4 + headerLength;
    // Copied out: an Int32Array needs an aligned offset, which a slice of the file need not have.
    const transitions = new Int32Array(bytes.buffer.slice(bytes.byteOffset + classesAt + 256, bytes.byteOffset + bytes.length));
    return new KeywordMatcher(header.keywords, {
      transitions,
      classes: Uint8Array.from(bytes.subarray(classesAt, classesAt + 256)),
      shift: header.shift,
      outputs: header.outputs.map((out) => out ?? undefined),
    });
  }

  constructor(keywords: readonly string[], built?: { transitions: Int32Array; classes: Uint8Array; shift: number; outputs: (number[] | undefined)[] }) {
    this.keywords = keywords;
    this.keywordLengths = Int32Array.from(keywords, (keyword) => keyword.length);
    this.longestKeyword = keywords.reduce((longest, keyword) => Math.max(longest, keyword.length), 0);
    if (built) {
      this.transitions = built.transitions;
      this.classes = built.classes;
      this.shift = built.shift;
      this.outputs = built.outputs;
      return;
    }
    const classes = new Uint8Array(256);
    let classCount = 1;
    for (const keyword of keywords) {
      for (let i = 0; i < keyword.length; i++) {
        const code = foldCase(keyword.charCodeAt(i));
        if (code >= 128) throw new Error(`keyword "${keyword}" is not ASCII`);
        if (classes[code] === 0) classes[code] = classCount++;
      }
    }
    for (let code = 65; code <= 90; code++) classes[code] = classes[code + 32]!;
    let shift = 1;
    while (1 << shift < classCount) shift++;
    const width = 1 << shift;

    // One flat table from the start (an upper bound on states is the total keyword length): building it
    // with an array per state cost ~30 ms for 600 keywords, which the pre-commit hook pays on every run.
    const maxStates = keywords.reduce((sum, keyword) => sum + keyword.length, 1);
    const next = new Int32Array(maxStates * width).fill(-1);
    const outputs: (number[] | undefined)[] = [undefined];
    let stateCount = 1;
    keywords.forEach((keyword, index) => {
      let state = 0;
      for (let i = 0; i < keyword.length; i++) {
        const slot = state * width + classes[foldCase(keyword.charCodeAt(i))]!;
        if (next[slot] === -1) {
          next[slot] = stateCount++;
          outputs.push(undefined);
        }
        state = next[slot]!;
      }
      (outputs[state] ??= []).push(index);
    });

    // Breadth-first, so a state's failure target is complete before the state itself is visited; missing
    // transitions are filled from the failure state, which makes the table a DFA.
    const failure = new Int32Array(stateCount);
    const queue = new Int32Array(stateCount);
    let tail = 0;
    for (let column = 0; column < width; column++) {
      if (column === 0 || next[column] === -1) next[column] = 0;
      else queue[tail++] = next[column]!;
    }
    for (let head = 0; head < tail; head++) {
      const state = queue[head]!;
      const fail = failure[state]!;
      const inherited = outputs[fail];
      if (inherited) outputs[state] = [...(outputs[state] ?? []), ...inherited];
      for (let column = 0; column < width; column++) {
        const slot = state * width + column;
        const target = next[slot]!;
        // Class 0 is in no keyword: from anywhere it leads back to the root.
        if (column === 0) next[slot] = 0;
        else if (target === -1) next[slot] = next[fail * width + column]!;
        else {
          failure[target] = next[fail * width + column]!;
          queue[tail++] = target;
        }
      }
    }
    const transitions = new Int32Array(stateCount * width);
    for (let slot = 0; slot < transitions.length; slot++) {
      const target = next[slot]!;
      transitions[slot] = outputs[target] ? ~(target << shift) : target << shift;
    }
    this.transitions = transitions;
    this.classes = classes;
    this.shift = shift;
    this.outputs = outputs;
  }

  /**
   * Every keyword occurrence in bytes (ASCII case folded), as flat pairs [keyword, end, keyword, end, ...].
   * An array, not a callback: this is the hottest loop of a scan, and a call per hit measured 1.7x
   * slower on keyword-dense code.
   */
  findInBytes(bytes: Uint8Array): number[] {
    this.walked(bytes.length);
    return this.walk(bytes);
  }

  /** specialize() once this matcher has walked `characters` more. */
  specializeAfter(characters: number): void {
    this.untilSpecialized = characters;
  }

  /** Counts text towards specializeAfter's amount, and specializes once it is reached. */
  private walked(characters: number): void {
    if ((this.untilSpecialized -= characters) > 0) return;
    this.untilSpecialized = Infinity;
    this.trySpecialize();
  }

  /**
   * Makes findInBytes and findInString copies of walkBytes and walkString compiled with this
   * automaton's tables as constants. V8 then knows each table's identity and length: the walk measured
   * 1.4x faster than with the same tables read from fields or a closure (the bench tree, 190 MiB of
   * files over 4 KiB: 300 ms against 430). Only script- or module-level constants get this; a closure
   * over them does not. Each call leaves its tables alive for the life of the thread, so only the
   * prebuilt automaton (once) and the small ones specializedFor keeps are specialized.
   */
  specialize(): void {
    const id = specializations++;
    const key = `secretscan.prefilter.${id}`;
    const tables = {
      transitions: this.transitions,
      classes: this.classes,
      shift: this.shift,
      outputs: this.outputs,
      lengths: this.keywordLengths,
      longest: this.longestKeyword,
      finish: finishWalks,
    };
    (globalThis as Record<symbol, unknown>)[Symbol.for(key)] = tables;
    const name = `__secretscanPrefilter${id}`;
    const constants = Object.keys(tables).map((table) => `${name}_${table} = ${name}.${table}`);
    const script =
      `const ${name} = globalThis[Symbol.for(${JSON.stringify(key)})], ${constants.join(', ')};\n` +
      `({ bytes: ${respecialized(walkBytes, 1, name, tables)}, text: ${respecialized(walkString, 2, name, tables)} })`;
    try {
      const walks = runInThisContext(script, { filename: `secretscan-prefilter-${id}.js` }) as { bytes: KeywordMatcher['walk']; text: KeywordMatcher['walkText'] };
      this.walk = walks.bytes;
      this.walkText = walks.text;
    } finally {
      delete (globalThis as Record<symbol, unknown>)[Symbol.for(key)];
    }
  }

  /** specialize(), or the same walks unspecialized if that fails (they find the same, only slower). */
  trySpecialize(): void {
    try {
      this.specialize();
    } catch {
      // the generic walks stay; test/detect/prefilter.test.ts calls specialize() itself and fails
    }
  }

  /** A matcher (built ahead: dist/starts.bin) for specializedFor to hand out for exactly its keywords. */
  static remember(matcher: KeywordMatcher): void {
    matcher.specializeAfter(SPECIALIZE_AFTER_CHARACTERS);
    specializedByKeywords.set(matcher.keywords.join('\n'), matcher);
  }

  /** A matcher for these keywords, kept and specialized once busy (for the few small automata a process uses over and over). */
  static specializedFor(keywords: readonly string[]): KeywordMatcher {
    const key = keywords.join('\n');
    let matcher = specializedByKeywords.get(key);
    if (!matcher) KeywordMatcher.remember((matcher = new KeywordMatcher(keywords)));
    return matcher;
  }

  /** The same over a decoded string, with UTF-16 offsets. */
  findInString(text: string): number[] {
    this.walked(text.length);
    return this.walkText(text, [0, text.length]);
  }

  /** The same over several stretches of a string, each walked from the root: flat [from, to] pairs. */
  findInStretches(text: string, ranges: readonly number[]): number[] {
    this.walked(ranges.length > 0 ? ranges[ranges.length - 1]! - ranges[0]! : 0);
    return this.walkText(text, ranges);
  }
}

let specializations = 0;
const specializedByKeywords = new Map<string, KeywordMatcher>();

/**
 * The source of `walk` compiled again with its parameters after the first `kept` as the script
 * constants `${name}_<parameter>`. `walk` must be self-contained, with a plain parameter list named as
 * KeywordMatcher.specialize()'s tables are: its body starts at the first brace.
 */
function respecialized(walk: (...args: never[]) => number[], kept: number, name: string, tables: object): string {
  const source = walk.toString();
  const parameters = source
    .slice(source.indexOf('(') + 1, source.indexOf(')'))
    .split(',')
    .map((parameter) => parameter.trim())
    .filter(Boolean);
  // A bundler that renamed a parameter would leave it unbound in the copy: fail here, not mid-scan.
  const unknown = parameters.slice(kept).filter((parameter) => !(parameter in tables));
  if (unknown.length > 0) throw new Error(`internal: cannot specialize ${walk.name}: no table for ${unknown.join(', ')}`);
  const body = source.slice(source.indexOf('{') + 1, source.lastIndexOf('}'));
  const constants = parameters.slice(kept).map((parameter) => `${parameter} = ${name}_${parameter}`);
  return `function (${parameters.slice(0, kept).join(', ')}) {\nconst ${constants.join(', ')};\n${body}\n}`;
}

/**
 * findInString over stretches of `text` (flat [from, to] pairs), each walked from the root, with the
 * automaton as parameters; self-contained like walkBytes. One call for all of a chunk's stretches: the
 * detector asks about one short stretch before each generic keyword, thousands in a large file.
 */
function walkString(text: string, ranges: readonly number[], transitions: Int32Array, classes: Uint8Array, shift: number, outputs: (number[] | undefined)[]): number[] {
  const hits: number[] = [];
  for (let r = 0; r < ranges.length; r += 2) {
    let row = 0;
    for (let i = ranges[r]!, to = ranges[r + 1]!; i < to; i++) {
      const code = text.charCodeAt(i);
      let target = transitions[row | (code < 128 ? classes[code]! : 0)]!;
      if (target < 0) {
        target = ~target;
        const out = outputs[target >> shift]!;
        for (let k = 0; k < out.length; k++) hits.push(out[k]!, i + 1);
      }
      row = target;
    }
  }
  return hits;
}

/**
 * findInBytes, with the automaton as parameters. Below CHAINS_FROM bytes (4096) one walk. Above, four
 * walks over the four quarters in one loop: a DFA step waits for the previous step's table load, so one
 * walk is bound by load latency, not by work, and independent walks let the CPU overlap them (two: 1.3x
 * on the bench tree, four: a further 1.1x). Each walk after the first starts at the root at its
 * quarter's start and keeps only keywords that start there or later; each walk but the last runs on past
 * its quarter, until it is back at the root or no keyword could still end, for those that start before
 * the next quarter. Merged by end offset, earlier walk first, which keeps the one-walk order (longest
 * keyword first at the same end).
 *
 * Self-contained, with a plain parameter list: KeywordMatcher.specialize() compiles its source again
 * with the parameters after `bytes` as constants, where nothing else from this module exists.
 */
function walkBytes(
  bytes: Uint8Array,
  transitions: Int32Array,
  classes: Uint8Array,
  shift: number,
  outputs: (number[] | undefined)[],
  lengths: Int32Array,
  longest: number,
  finish: typeof finishWalks,
): number[] {
  const n = bytes.length;
  if (n < 4096) {
    const hits: number[] = [];
    let row = 0;
    for (let i = 0; i < n; i++) {
      let target = transitions[row | classes[bytes[i]!]!]!;
      if (target < 0) {
        target = ~target;
        const out = outputs[target >> shift]!;
        for (let k = 0; k < out.length; k++) hits.push(out[k]!, i + 1);
      }
      row = target;
    }
    return hits;
  }
  const quarter = n >> 2;
  const from1 = quarter;
  const from2 = 2 * quarter;
  const from3 = 3 * quarter;
  const hits0: number[] = [];
  const hits1: number[] = [];
  const hits2: number[] = [];
  const hits3: number[] = [];
  let row0 = 0;
  let row1 = 0;
  let row2 = 0;
  let row3 = 0;
  for (let i = 0; i < quarter; i++) {
    let target0 = transitions[row0 | classes[bytes[i]!]!]!;
    let target1 = transitions[row1 | classes[bytes[from1 + i]!]!]!;
    let target2 = transitions[row2 | classes[bytes[from2 + i]!]!]!;
    let target3 = transitions[row3 | classes[bytes[from3 + i]!]!]!;
    if ((target0 | target1 | target2 | target3) < 0) {
      if (target0 < 0) {
        target0 = ~target0;
        const out = outputs[target0 >> shift]!;
        for (let k = 0; k < out.length; k++) hits0.push(out[k]!, i + 1);
      }
      if (target1 < 0) {
        target1 = ~target1;
        const out = outputs[target1 >> shift]!;
        const end = from1 + i + 1;
        for (let k = 0; k < out.length; k++) if (end - lengths[out[k]!]! >= from1) hits1.push(out[k]!, end);
      }
      if (target2 < 0) {
        target2 = ~target2;
        const out = outputs[target2 >> shift]!;
        const end = from2 + i + 1;
        for (let k = 0; k < out.length; k++) if (end - lengths[out[k]!]! >= from2) hits2.push(out[k]!, end);
      }
      if (target3 < 0) {
        target3 = ~target3;
        const out = outputs[target3 >> shift]!;
        const end = from3 + i + 1;
        for (let k = 0; k < out.length; k++) if (end - lengths[out[k]!]! >= from3) hits3.push(out[k]!, end);
      }
    }
    row0 = target0;
    row1 = target1;
    row2 = target2;
    row3 = target3;
  }
  for (let j = from3 + quarter; j < n; j++) {
    let target = transitions[row3 | classes[bytes[j]!]!]!;
    if (target < 0) {
      target = ~target;
      const out = outputs[target >> shift]!;
      for (let k = 0; k < out.length; k++) if (j + 1 - lengths[out[k]!]! >= from3) hits3.push(out[k]!, j + 1);
    }
    row3 = target;
  }
  return finish(bytes, transitions, classes, shift, outputs, lengths, longest, [row0, row1, row2], [hits0, hits1, hits2, hits3], quarter);
}

/**
 * The end of a four-walk pass (walkBytes): the first three walks run on past their quarter's end for
 * keywords that started before it, and the four lists are merged one at a time (they overlap only near
 * the seams, where the earlier one goes first). Apart from walkBytes because it runs once per file: in
 * the same function its code lacked type feedback when the walk was optimized, and deoptimized it
 * once per file (598 times on the bench tree).
 */
function finishWalks(
  bytes: Uint8Array,
  transitions: Int32Array,
  classes: Uint8Array,
  shift: number,
  outputs: (number[] | undefined)[],
  lengths: Int32Array,
  longest: number,
  rows: number[],
  lists: number[][],
  quarter: number,
): number[] {
  const n = bytes.length;
  for (let w = 0; w < 3; w++) {
    const until = (w + 1) * quarter;
    const hits = lists[w]!;
    let row = rows[w]!;
    const stop = Math.min(n, until + longest - 1);
    for (let i = until; i < stop && row !== 0; i++) {
      let target = transitions[row | classes[bytes[i]!]!]!;
      if (target < 0) {
        target = ~target;
        const out = outputs[target >> shift]!;
        for (let k = 0; k < out.length; k++) if (i + 1 - lengths[out[k]!]! < until) hits.push(out[k]!, i + 1);
      }
      row = target;
    }
  }
  let merged = lists[0]!;
  for (let w = 1; w < 4; w++) {
    const next = lists[w]!;
    if (next.length === 0) continue;
    if (merged.length === 0 || merged[merged.length - 1]! <= next[1]!) {
      for (let b = 0; b < next.length; b++) merged.push(next[b]!);
      continue;
    }
    const both: number[] = [];
    let a = 0;
    let b = 0;
    while (a < merged.length && b < next.length) {
      if (merged[a + 1]! <= next[b + 1]!) {
        both.push(merged[a]!, merged[a + 1]!);
        a += 2;
      } else {
        both.push(next[b]!, next[b + 1]!);
        b += 2;
      }
    }
    for (; a < merged.length; a += 2) both.push(merged[a]!, merged[a + 1]!);
    for (; b < next.length; b += 2) both.push(next[b]!, next[b + 1]!);
    merged = both;
  }
  return merged;
}

function foldCase(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}
