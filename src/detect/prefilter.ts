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

/**
 * The automaton for the built-in rules, built by `npm run build` (dist/prefilter.bin) and loaded with
 * them: building it costs ~14 ms of a cold start, a tenth of what the pre-commit hook may take. Used
 * whenever a detector asks for exactly its keywords (no rules of the user's, none disabled).
 */
let prebuilt: KeywordMatcher | undefined;

export function usePrebuiltMatcher(matcher: KeywordMatcher): void {
  prebuilt = matcher;
}

/** Below this size one walk is as fast, and the split and merge are not worth it. */
const TWO_CHAINS_FROM = 4096;

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
    if (bytes.length >= TWO_CHAINS_FROM) return this.findInBytesTwoChains(bytes);
    const transitions = this.transitions;
    const classes = this.classes;
    const hits: number[] = [];
    let row = 0;
    for (let i = 0, n = bytes.length; i < n; i++) {
      let target = transitions[row | classes[bytes[i]!]!]!;
      if (target < 0) {
        target = ~target;
        this.emit(target >> this.shift, i + 1, hits);
      }
      row = target;
    }
    return hits;
  }

  /**
   * The same result, walking both halves of the buffer in one loop. A DFA step waits for the previous
   * step's table load, so one walk is bound by load latency, not by work; two independent walks let the
   * CPU overlap them (1.3x on the bench tree). The second walk starts at the root in the middle and keeps
   * only keywords that start there or later; the first runs on past the middle, until it is back at the
   * root or no keyword could still end, for those that start before it. Merged by end offset, first
   * walk first, which keeps the one-walk order (longest keyword first at the same end).
   */
  private findInBytesTwoChains(bytes: Uint8Array): number[] {
    const transitions = this.transitions;
    const classes = this.classes;
    const shift = this.shift;
    const n = bytes.length;
    const middle = n >> 1;
    const first: number[] = [];
    const second: number[] = [];
    let rowA = 0;
    let rowB = 0;
    let j = middle;
    for (let i = 0; i < middle; i++, j++) {
      let targetA = transitions[rowA | classes[bytes[i]!]!]!;
      let targetB = transitions[rowB | classes[bytes[j]!]!]!;
      if (targetA < 0) {
        targetA = ~targetA;
        this.emit(targetA >> shift, i + 1, first);
      }
      if (targetB < 0) {
        targetB = ~targetB;
        this.emitStartingFrom(targetB >> shift, j + 1, middle, second);
      }
      rowA = targetA;
      rowB = targetB;
    }
    for (; j < n; j++) {
      let targetB = transitions[rowB | classes[bytes[j]!]!]!;
      if (targetB < 0) {
        targetB = ~targetB;
        this.emitStartingFrom(targetB >> shift, j + 1, middle, second);
      }
      rowB = targetB;
    }
    const firstEnd = Math.min(n, middle + this.longestKeyword - 1);
    for (let i = middle; i < firstEnd && rowA !== 0; i++) {
      let targetA = transitions[rowA | classes[bytes[i]!]!]!;
      if (targetA < 0) {
        targetA = ~targetA;
        this.emitStartingBefore(targetA >> shift, i + 1, middle, first);
      }
      rowA = targetA;
    }
    if (second.length === 0) return first;
    if (first.length === 0) return second;
    const hits: number[] = [];
    let a = 0;
    let b = 0;
    while (a < first.length && b < second.length) {
      if (first[a + 1]! <= second[b + 1]!) {
        hits.push(first[a]!, first[a + 1]!);
        a += 2;
      } else {
        hits.push(second[b]!, second[b + 1]!);
        b += 2;
      }
    }
    for (; a < first.length; a += 2) hits.push(first[a]!, first[a + 1]!);
    for (; b < second.length; b += 2) hits.push(second[b]!, second[b + 1]!);
    return hits;
  }

  /** The same over a decoded string (or text[from, to), walked from the root), with UTF-16 offsets. */
  findInString(text: string, from = 0, to = text.length): number[] {
    const transitions = this.transitions;
    const classes = this.classes;
    const hits: number[] = [];
    let row = 0;
    for (let i = from; i < to; i++) {
      const code = text.charCodeAt(i);
      let target = transitions[row | (code < 128 ? classes[code]! : 0)]!;
      if (target < 0) {
        target = ~target;
        this.emit(target >> this.shift, i + 1, hits);
      }
      row = target;
    }
    return hits;
  }

  private emit(state: number, end: number, hits: number[]): void {
    const out = this.outputs[state]!;
    for (let k = 0; k < out.length; k++) hits.push(out[k]!, end);
  }

  private emitStartingFrom(state: number, end: number, from: number, hits: number[]): void {
    const out = this.outputs[state]!;
    for (let k = 0; k < out.length; k++) if (end - this.keywordLengths[out[k]!]! >= from) hits.push(out[k]!, end);
  }

  private emitStartingBefore(state: number, end: number, before: number, hits: number[]): void {
    const out = this.outputs[state]!;
    for (let k = 0; k < out.length; k++) if (end - this.keywordLengths[out[k]!]! < before) hits.push(out[k]!, end);
  }
}

function foldCase(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}
