/**
 * The candidates of a file that touch some of its lines (--staged: the lines the change adds), found by
 * running the detector over only the stretches around those lines that can hold one, not the whole
 * file. A pre-commit hook is started once per commit on files of any size to look at a few added lines;
 * the whole of a 60 KiB file was most of its detection time, run cold, in V8's interpreter.
 *
 * Each stretch is the added lines and `reach` characters either side (Detector.lineContext), in whole
 * lines: far enough for any window a keyword opens to be seen whole, so a stretch finds what the whole
 * file finds on those lines. Multi-line rules reach 64 KiB from their keyword; their keywords (private
 * key headers and the like) are searched for in the whole file with one case-blind pattern, and a stretch
 * near one is widened to hold its window. A Kubernetes Secret (every line a decoding candidate) and a
 * UTF-16 file are scanned whole.
 */
import type { Candidate } from '../types.js';
import { hasUtf16Bom } from '../util/bom.js';
import { countBelow } from '../util/search.js';
import type { DetectInput, Detector, LineContext } from './detector.js';

/** Lines are 1-based and inclusive: [first, last]. */
export type LineRange = readonly [number, number];

export function detectAroundLines(detector: Detector, file: DetectInput, lines: readonly LineRange[]): Candidate[] {
  if (!file.bytes || file.text !== undefined || (file.startLine ?? 1) !== 1) return detector.detect(file).filter(touching(lines));
  const plan = planAround(file.bytes, lines, detector.lineContext());
  const touches = touching(plan.lines);
  if (!plan.stretches) return detector.detect(file).filter(touches);
  const found: Candidate[] = [];
  for (const { from, to, startLine } of plan.stretches) {
    for (const candidate of detector.detect({ origin: file.origin, bytes: file.bytes.subarray(from, to), startLine, noDecode: file.noDecode })) {
      if (touches(candidate)) found.push(candidate);
    }
  }
  return found;
}

/** True when a candidate spanning lines [line, endLine] touches one of the ranges. */
export function touchesLines(lines: readonly LineRange[], line: number, endLine: number): boolean {
  return lines.some(([first, last]) => first <= endLine && line <= last);
}

function touching(lines: readonly LineRange[]): (candidate: Candidate) => boolean {
  return (candidate) => touchesLines(lines, candidate.line, candidate.endLine);
}

export interface Stretch {
  /** Byte offsets, each at a line start (or the file's end). */
  from: number;
  to: number;
  /** The line `from` begins, numbered as the detector numbers lines (a lone CR ends one too). */
  startLine: number;
}

export interface AroundPlan {
  /** The stretches to scan, in order and apart; undefined when only the whole file will do. */
  stretches: Stretch[] | undefined;
  /**
   * The lines, numbered as the detector numbers them: Git counts LF only, the detector (as editors and
   * SARIF) a lone CR too, so in a file with lone CRs Git's line 3 can be the detector's line 5.
   */
  lines: readonly LineRange[];
}

export function planAround(bytes: Uint8Array, lines: readonly LineRange[], context: LineContext): AroundPlan {
  if (hasUtf16Bom(bytes) || lines.length === 0) return { stretches: undefined, lines };
  // Keywords are ASCII (rule.schema.json), so in Latin-1 every character is a byte at its own offset.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  const map = new Lines(text);
  const detectorLines = map.hasLoneCarriageReturns() ? lines.map(([first, last]) => map.detectorRange(first, last)) : lines;
  if (!context.markers) return { stretches: undefined, lines: detectorLines };
  const markers: number[] = [];
  const trigger = context.wholeFileTrigger;
  context.markers.lastIndex = 0;
  for (let match = context.markers.exec(text); match; match = context.markers.exec(text)) {
    if (match[0].length === trigger.length && match[0].toLowerCase() === trigger) return { stretches: undefined, lines: detectorLines };
    markers.push(match.index, match.index + match[0].length);
  }
  const spans: [number, number][] = [];
  for (const [first, last] of lines) {
    const addedFrom = map.startOfLine(first);
    const addedTo = map.endOfLine(last);
    let from = map.lineStartAt(addedFrom - context.reach);
    let to = map.lineEndAt(addedTo + context.reach);
    for (let m = 0; m < markers.length; m += 2) {
      const markerEnd = markers[m + 1]!;
      // A multi-line window opened here could reach the added lines, or one opened in them run on.
      if (markerEnd < addedFrom - context.multilineReach || markerEnd > addedTo + context.reach) continue;
      from = Math.min(from, map.lineStartAt(markers[m]! - context.reach));
      to = Math.max(to, map.lineEndAt(markerEnd + context.multilineReach));
    }
    spans.push([from, to]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push(span);
  }
  if (merged.length === 1 && merged[0]![0] === 0 && merged[0]![1] === text.length) return { stretches: undefined, lines: detectorLines };
  return { stretches: merged.map(([from, to]) => ({ from, to, startLine: map.detectorLine(from) })), lines: detectorLines };
}

/** Line positions in a file's text, by LF as Git numbers lines. */
class Lines {
  private readonly newlines: number[] = [];
  private loneCRs: number[] | undefined;

  constructor(private readonly text: string) {
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) this.newlines.push(at);
  }

  /** Where 1-based line `line` starts (the end of the text past the last line). */
  startOfLine(line: number): number {
    if (line <= 1) return 0;
    const newline = this.newlines[line - 2];
    return newline === undefined ? this.text.length : newline + 1;
  }

  /** Just past line `line`'s newline (or the end of the text). */
  endOfLine(line: number): number {
    const newline = this.newlines[line - 1];
    return newline === undefined ? this.text.length : newline + 1;
  }

  /** The start of the line holding `offset` (clamped to the text). */
  lineStartAt(offset: number): number {
    if (offset <= 0) return 0;
    const index = this.newlinesBefore(Math.min(offset, this.text.length));
    return index === 0 ? 0 : this.newlines[index - 1]! + 1;
  }

  /** Just past the newline ending the line that holds `offset` (clamped to the text). */
  lineEndAt(offset: number): number {
    if (offset >= this.text.length) return this.text.length;
    const newline = this.newlines[this.newlinesBefore(Math.max(offset, 0))];
    return newline === undefined ? this.text.length : newline + 1;
  }

  /** The detector's number for the line starting at `offset` (LineIndex: a lone CR ends a line too). */
  detectorLine(offset: number): number {
    return 1 + this.newlinesBefore(offset) + countBelow(this.loneCarriageReturns(), offset);
  }

  /** Git's lines [first, last] in the detector's numbers: a lone CR inside a line splits it. */
  detectorRange(first: number, last: number): LineRange {
    const lastStart = this.startOfLine(last);
    const loneInLast = countBelow(this.loneCarriageReturns(), this.endOfLine(last)) - countBelow(this.loneCarriageReturns(), lastStart);
    return [this.detectorLine(this.startOfLine(first)), this.detectorLine(lastStart) + loneInLast];
  }

  hasLoneCarriageReturns(): boolean {
    return this.loneCarriageReturns().length > 0;
  }

  /** How many newlines lie before `offset`. */
  private newlinesBefore(offset: number): number {
    return countBelow(this.newlines, offset);
  }

  private loneCarriageReturns(): number[] {
    if (this.loneCRs) return this.loneCRs;
    this.loneCRs = [];
    for (let at = this.text.indexOf('\r'); at !== -1; at = this.text.indexOf('\r', at + 1)) {
      if (this.text.charCodeAt(at + 1) !== 10) this.loneCRs.push(at);
    }
    return this.loneCRs;
  }
}
