/**
 * A CI file's text with positions, and the one place CI checks turn what they found (a Hit: rule id, span,
 * secret or descriptor) into the pipeline's Candidate. Offsets are UTF-16 code units into the text, as the
 * detector's are; lines and columns are 1-based and `endColumn` is the column after the last character.
 */
import type { Candidate, ChunkOrigin } from '../types.js';
import { lastAtOrBefore } from '../util/search.js';
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
  /**
   * Where each line starts: 0, and after every LF (CRLF included), as the YAML parsers count lines. Kept
   * here rather than in the `yaml` package's LineCounter, which cost a scan that has only plain YAML
   * loading that package (src/ci/tree.ts).
   */
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset, this.text.length));
    const index = lastAtOrBefore(this.lineStarts, at);
    return { line: index + 1, column: at - this.lineStarts[index]! + 1 };
  }

  /** The text of the line holding `offset`, without its line break, clipped around [offset, until). */
  lineText(offset: number, until = offset): string {
    const { line } = this.position(offset);
    const starts = this.lineStarts;
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
