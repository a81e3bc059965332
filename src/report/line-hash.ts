/**
 * GitHub code scanning's `primaryLocationLineHash`, for the SARIF reporter. Code scanning matches an alert
 * across runs by it; when a SARIF result lacks one, the upload action computes it from the checked-out
 * file, and when a result has one that differs from what it would compute, the upload logs a warning per
 * result and keeps ours. So we compute the same value, from the same text, by the algorithm GitHub
 * describes for codeql-action (src/fingerprints.ts), written here from that description:
 *
 * - The file is read as UTF-16 code units. Spaces and tabs are skipped entirely. `\r\n`, `\r` and `\n`
 *   all count as one `\n`.
 * - A line's hash covers the first 100 remaining characters from the line's first one onwards, across
 *   line ends. The end of the file is one more character (65535), then `\0`s to fill the 100. So a file
 *   ending in a newline has one more, empty, line, as in GitHub's implementation.
 * - The hash is a polynomial in base 37 over those 100 character codes, modulo 2^64 (the first character
 *   has the highest power); it is printed as unsigned hexadecimal without leading zeros.
 * - `:N` is appended, N counting the lines so far (this one included) with the same hash, so identical
 *   lines in one file are told apart.
 *
 * The 64-bit arithmetic is done on two 32-bit halves held in doubles (every intermediate stays below
 * 2^53): about 20 times faster than BigInt, which matters for a secret in a 10 MB minified file.
 *
 * Whether the hash leaks the secret: it is a 64-bit value over a 100-character window that holds the
 * secret, so it is no more than what GitHub's own upload step computes from the same file and stores with
 * the alert anyway; it cannot be inverted without the rest of the window.
 */

const WINDOW = 100;
const BASE = 37;
const END_OF_FILE = 65535;
const TWO_32 = 2 ** 32;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** 37^100 mod 2^64 in 32-bit halves: the weight of the character leaving the window. */
const LEAVING_WEIGHT = BigInt.asUintN(64, BigInt(BASE) ** BigInt(WINDOW));
const LEAVING_HIGH = Number(LEAVING_WEIGHT >> 32n);
const LEAVING_LOW = Number(LEAVING_WEIGHT & 0xffffffffn);

/**
 * The line hash of every line of `text`, in order: index 0 is line 1. Line numbers are GitHub's: a
 * trailing newline makes one more (empty) line. With `throughLine`, stops once that line is hashed (a
 * line's hash depends only on the lines before it, for `:N`, and on the 100 characters from its start).
 */
export function lineHashes(text: string, throughLine = Infinity): string[] {
  const window = new Uint16Array(WINDOW);
  // For each slot of the window: the line number whose first character sits there, or 0.
  const lineStarts = new Float64Array(WINDOW);
  const hashes: string[] = [];
  const seen = new Map<string, number>();
  let high = 0;
  let low = 0;
  let slot = 0;
  let line = 0;
  let atLineStart = true;
  let afterCarriageReturn = false;

  const emit = () => {
    const value = high === 0 ? low.toString(16) : high.toString(16) + low.toString(16).padStart(8, '0');
    const count = (seen.get(value) ?? 0) + 1;
    seen.set(value, count);
    hashes[lineStarts[slot]! - 1] = `${value}:${count}`;
    lineStarts[slot] = 0;
  };

  // hash = hash * 37 + entering - leaving * 37^100  (mod 2^64). `>>> 0` is exact modulo 2^32 for any
  // integer below 2^53 in magnitude, negative ones included.
  const push = (entering: number) => {
    const leaving = window[slot]!;
    window[slot] = entering;
    const lowTimesBase = low * BASE;
    let newLow = (lowTimesBase >>> 0) + entering;
    let newHigh = high * BASE + (lowTimesBase - (lowTimesBase >>> 0)) / TWO_32;
    if (leaving !== 0) {
      const leavingLow = LEAVING_LOW * leaving;
      newLow -= leavingLow >>> 0;
      newHigh -= LEAVING_HIGH * leaving + (leavingLow - (leavingLow >>> 0)) / TWO_32;
    }
    const carry = Math.floor(newLow / TWO_32);
    low = newLow - carry * TWO_32;
    high = (newHigh + carry) >>> 0;
    slot = slot === WINDOW - 1 ? 0 : slot + 1;
  };

  const take = (code: number) => {
    if (code === SPACE || code === TAB || (afterCarriageReturn && code === LF)) {
      afterCarriageReturn = false;
      return;
    }
    afterCarriageReturn = code === CR;
    if (code === CR) code = LF;
    // The slot about to be overwritten held a line's first character 100 characters ago: that line's
    // window is complete, and the hash is its hash.
    if (lineStarts[slot] !== 0) emit();
    if (atLineStart) {
      atLineStart = false;
      lineStarts[slot] = ++line;
    }
    if (code === LF) atLineStart = true;
    push(code);
  };

  for (let i = 0; i < text.length; i++) {
    take(text.charCodeAt(i));
    if (hashes.length >= throughLine) return hashes;
  }
  take(END_OF_FILE);
  for (let i = 0; i < WINDOW; i++) {
    if (lineStarts[slot] !== 0) emit();
    push(0);
  }
  return hashes;
}

/** A file as it was where an occurrence was found: the worktree file, or the blob at a commit. */
export interface SourceLocation {
  path: string;
  commit?: string;
}

/**
 * Reads the text of a file version, or undefined when it cannot be had (deleted, unreadable, binary).
 * The CLI provides it: the reporter knows nothing of files or Git.
 */
export type SourceReader = (location: SourceLocation) => Promise<string | undefined> | string | undefined;

/** Line hashes by `lineHashKey()` of each occurrence that could be hashed. */
export type LineHashes = ReadonlyMap<string, string>;

export function lineHashKey(occurrence: { path: string; commit?: string; line: number }): string {
  return `${occurrence.commit ?? ''}\0${occurrence.path}\0${occurrence.line}`;
}

/**
 * Hashes the lines of every occurrence, reading each file version once. Occurrences whose file cannot be
 * read get no entry: the SARIF result then has no line hash, and the upload computes its own if it can.
 */
export async function collectLineHashes(
  occurrences: Iterable<{ path: string; commit?: string; line: number }>,
  read: SourceReader,
): Promise<Map<string, string>> {
  const wanted = new Map<string, { location: SourceLocation; lines: Set<number> }>();
  for (const occurrence of occurrences) {
    const fileKey = `${occurrence.commit ?? ''}\0${occurrence.path}`;
    let entry = wanted.get(fileKey);
    if (!entry) {
      entry = { location: { path: occurrence.path, ...(occurrence.commit ? { commit: occurrence.commit } : {}) }, lines: new Set() };
      wanted.set(fileKey, entry);
    }
    entry.lines.add(occurrence.line);
  }
  const result = new Map<string, string>();
  for (const { location, lines } of wanted.values()) {
    let text: string | undefined;
    try {
      text = await read(location);
    } catch {
      text = undefined;
    }
    if (text === undefined) continue;
    const hashes = lineHashes(text, Math.max(...lines));
    for (const line of lines) {
      const hash = hashes[line - 1];
      if (hash !== undefined) result.set(lineHashKey({ ...location, line }), hash);
    }
  }
  return result;
}
