/**
 * A CI file's text with positions, and the one place CI checks turn what they found (a Hit: rule id, span,
 * secret or descriptor) into the pipeline's Candidate. Offsets are UTF-16 code units into the text, as the
 * detector's are; lines and columns are 1-based and `endColumn` is the column after the last character.
 */
import { LineCounter } from 'yaml';
import type { Candidate, ChunkOrigin } from '../types.js';
import { LITERAL_VALUE_CHECKS } from './rules.js';

/** A CI check's finding before it becomes a Candidate. */
export interface Hit {
  ruleId: string;
  /** Span of the offending node or text in the file. */
  start: number;
  end: number;
  /**
   * The literal secret for checks about a literal value; otherwise a stable, non-secret descriptor of the
   * problem (it is hashed into the finding id and may be shown).
   */
  secret: string;
}

/** The longest line text kept on a candidate (inline suppression reads it; minified lines can be huge). */
const LINE_CONTEXT = 2048;

export class SourceFile {
  readonly lines = new LineCounter();

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    // The same counting as the parser's: a line starts after every LF (CRLF included).
    this.lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lines.addNewLine(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line, column: col };
  }

  /** The text of the line holding `offset`, without its line break, clipped around [offset, until). */
  lineText(offset: number, until = offset): string {
    const { line } = this.position(offset);
    const starts = this.lines.lineStarts;
    const lineStart = starts[line - 1] ?? 0;
    let lineEnd = line < starts.length ? starts[line]! : this.text.length;
    while (lineEnd > lineStart && (this.text.charCodeAt(lineEnd - 1) === 10 || this.text.charCodeAt(lineEnd - 1) === 13)) lineEnd--;
    return this.text.slice(Math.max(lineStart, offset - LINE_CONTEXT), Math.min(lineEnd, until + LINE_CONTEXT));
  }

  toCandidate(hit: Hit, origin: ChunkOrigin): Candidate {
    const start = this.position(hit.start);
    const end = this.position(hit.end);
    return {
      ruleId: hit.ruleId,
      // A description is shown in clear (report/redact.ts): a URL it quotes (a remote include) loses its
      // user-info, which can hold a token, while a check about a literal value keeps the value to redact.
      secret: LITERAL_VALUE_CHECKS.has(hit.ruleId) ? hit.secret : hit.secret.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1…@'),
      start: hit.start,
      end: hit.end,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      lineText: this.lineText(hit.start, hit.end),
      validated: [],
      entropy: 0,
      origin,
    };
  }
}
