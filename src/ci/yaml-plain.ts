/**
 * The plain YAML most CI files are written in, parsed by hand: block maps and sequences, plain and
 * quoted one-line scalars, `|` and `>` block scalars, one-line flow sequences and maps, comments. It
 * returns exactly the tree parseYaml's general path returns (the `yaml` package, then YamlConverter),
 * spans included, or undefined for anything else (anchors, tags, multi-line plain or quoted scalars,
 * escapes, several documents, errors, and the few comment placements `yaml` counts into a collection's
 * span), which then takes the general path. test/ci/yaml-plain.test.ts holds the two to that on every
 * YAML file of the repository and on generated documents, valid and mutated.
 *
 * Why: the `yaml` package took ~270 ms (cold) and ~110 ms (warm) for the bench tree's 64 workflows,
 * 112 KB; this parser takes ~35 and ~13 ms for the same trees, and a scan's CI checks cost about half
 * of what they did. It took 88 % of 615 real workflows from 66 public repositories (and agreed on all
 * 2,331 of 3,555 real YAML files it took); a file it declines costs one short attempt more.
 */
import type { Entry, MapNode, Node, Scalar, SeqNode } from './tree.js';

/** Thrown inside the parser for anything outside the subset: parsePlainYaml returns undefined. */
class NotPlain extends Error {}

function decline(): never {
  throw new NotPlain();
}

interface Line {
  /** Offset of the line's first character and of its end (its newline, or the end of the text). */
  start: number;
  end: number;
  indent: number;
  /** Nothing but spaces, or a comment. */
  empty: boolean;
}

/** The tree of a one-document file in the subset, or undefined. */
export function parsePlainYaml(text: string): (Node | null)[] | undefined {
  // Tabs, carriage returns and byte-order marks have rules of their own: the general path has them.
  if (/[\t\r\ufeff]/.test(text)) return undefined;
  try {
    return [new PlainParser(text).document()];
  } catch (error) {
    if (error instanceof NotPlain) return undefined;
    throw error;
  }
}

/**
 * Characters a plain key or value is not taken to start with: indicators, and quotes handled apart. A
 * value may start with `-` when a non-space follows (`--verbose`), as in YAML.
 */
const NOT_PLAIN_START = new Set([...'-?:,[]{}#&*!|>\'"%@`']);

/** Deeper than this, the general path reads the file (and says so when it is too deep for it). */
const MAX_PLAIN_DEPTH = 64;

class PlainParser {
  private readonly lines: Line[] = [];
  /** For each line, the first line at or after it with content (-1: none): lookahead in O(1). */
  private readonly contentFrom: Int32Array;
  /** For each line, the deepest comment from it up to that content line (-1: none). */
  private readonly commentIndentFrom: Int32Array;
  private depth = 0;

  constructor(private readonly text: string) {
    for (let start = 0; start < text.length; ) {
      const newline = text.indexOf('\n', start);
      const end = newline === -1 ? text.length : newline;
      let content = start;
      while (content < end && text.charCodeAt(content) === 32) content++;
      this.lines.push({ start, end, indent: content - start, empty: content === end || text.charCodeAt(content) === 35 });
      start = end + 1;
    }
    const count = this.lines.length;
    this.contentFrom = new Int32Array(count + 1).fill(-1);
    this.commentIndentFrom = new Int32Array(count + 1).fill(-1);
    for (let i = count - 1; i >= 0; i--) {
      const line = this.lines[i]!;
      if (!line.empty) {
        this.contentFrom[i] = i;
        continue;
      }
      this.contentFrom[i] = this.contentFrom[i + 1]!;
      const comment = line.end > line.start + line.indent ? line.indent : -1;
      this.commentIndentFrom[i] = Math.max(comment, this.commentIndentFrom[i + 1]!);
    }
  }

  document(): Node {
    let first = this.nextContent(0);
    if (first === -1) decline();
    let line = this.lines[first]!;
    if (this.text.slice(line.start, line.end) === '---') {
      // A document start marker on its own line: what follows is the document.
      first = this.nextContent(first + 1);
      if (first === -1) decline();
      line = this.lines[first]!;
    }
    const head = this.text.slice(line.start + line.indent, line.start + line.indent + 3);
    if (head === '---' || head === '...' || head.startsWith('%')) decline();
    const { node, next } = this.block(first, line.indent);
    // Whatever follows the root must be blank or comments: a dedent below it is not this subset.
    if (this.nextAfterValue(next) !== -1) decline();
    return node;
  }

  /** The first content line at or after `from` (-1 at the end), with the comment lines before it checked. */
  private nextAfterValue(from: number): number {
    const next = this.nextContent(from);
    this.checkGap(from, next === -1 ? 0 : this.lines[next]!.indent);
    return next;
  }

  /**
   * The comment lines from line `from` to the next content line, which is at column `nextIndent` (0 at
   * the end of the text). `yaml` counts a comment indented past the innermost collection as part of the
   * value before it, which moves the ends of the collections around it; one no deeper than the line
   * after it (or, at the end, at column 0) belongs to what follows and moves nothing. Only the latter
   * are taken.
   */
  private checkGap(from: number, nextIndent: number): void {
    if (from < this.lines.length && this.commentIndentFrom[from]! > nextIndent) decline();
  }

  /** The index of the first line at or after `from` with content, or -1. */
  private nextContent(from: number): number {
    return from < this.lines.length ? this.contentFrom[from]! : -1;
  }

  /** A block map or sequence starting on line `index` at column `indent`. */
  private block(index: number, indent: number): { node: MapNode | SeqNode; next: number } {
    const line = this.lines[index]!;
    const at = line.start + indent;
    if (this.isDash(at)) return this.sequence(index, indent);
    if (this.keyEnd(at) !== undefined) return this.map(index, indent, at);
    return decline();
  }

  /** A `-` that starts a sequence item: followed by a space or the line's end. */
  private isDash(at: number): boolean {
    const text = this.text;
    return text.charCodeAt(at) === 45 && (at + 1 >= text.length || text.charCodeAt(at + 1) === 32 || text.charCodeAt(at + 1) === 10);
  }

  /**
   * The offset of the `:` that ends a mapping key starting at `at` (the key is [at, that)), if the line
   * holds a `key:` there; undefined when it does not.
   */
  private keyEnd(at: number): number | undefined {
    const text = this.text;
    const lineEnd = this.lineEndOf(at);
    const first = text[at]!;
    if (first === '"' || first === "'") {
      const colon = this.quoteEnd(at, lineEnd);
      return text.charCodeAt(colon) === 58 && (colon + 1 >= lineEnd || text.charCodeAt(colon + 1) === 32) ? colon : undefined;
    }
    if (NOT_PLAIN_START.has(first)) return undefined;
    for (let i = at; i < lineEnd; i++) {
      const code = text.charCodeAt(i);
      if (code === 35 && text.charCodeAt(i - 1) === 32) return undefined; // a comment before any colon
      if (code === 58 && (i + 1 >= lineEnd || text.charCodeAt(i + 1) === 32)) {
        // `key :` keeps the space out of the key in YAML; rare enough to leave to the general path.
        if (text.charCodeAt(i - 1) === 32) decline();
        return i;
      }
    }
    return undefined;
  }

  private lineEndOf(offset: number): number {
    const newline = this.text.indexOf('\n', offset);
    return newline === -1 ? this.text.length : newline;
  }

  /** Past the line's newline (or the text's end): where a value that ends its line ends, as `yaml` counts. */
  private afterLine(offset: number): number {
    return Math.min(this.text.length, this.lineEndOf(offset) + 1);
  }

  private map(index: number, indent: number, firstKey: number): { node: MapNode; next: number } {
    const entries: Entry[] = [];
    let at = firstKey;
    let line = index;
    let end = firstKey;
    for (;;) {
      const keyEnd = this.keyEnd(at);
      if (keyEnd === undefined) decline();
      const key = this.scalarAt(at, keyEnd, true);
      const value = this.value(keyEnd + 1, line, indent, true);
      entries.push({ key, value: value.node });
      end = value.end;
      const next = this.nextAfterValue(value.next);
      if (next === -1) return { node: { kind: 'map', entries, start: firstKey, end }, next: this.lines.length };
      const nextLine = this.lines[next]!;
      if (nextLine.indent < indent) return { node: { kind: 'map', entries, start: firstKey, end }, next };
      if (nextLine.indent > indent) decline();
      line = next;
      at = nextLine.start + indent;
      if (this.isDash(at)) decline();
    }
  }

  private sequence(index: number, indent: number): { node: SeqNode; next: number } {
    const items: (Node | null)[] = [];
    const start = this.lines[index]!.start + indent;
    let line = index;
    let end = start;
    for (;;) {
      const dash = this.lines[line]!.start + indent;
      const item = this.value(dash + 1, line, indent, false);
      items.push(item.node);
      end = item.end;
      const next = this.nextAfterValue(item.next);
      if (next === -1) return { node: { kind: 'seq', items, start, end }, next: this.lines.length };
      const nextLine = this.lines[next]!;
      if (nextLine.indent < indent) return { node: { kind: 'seq', items, start, end }, next };
      if (nextLine.indent > indent) decline();
      // At this column but not an item: the next key of the map this sequence is an indentless value of.
      if (!this.isDash(nextLine.start + indent)) return { node: { kind: 'seq', items, start, end }, next };
      line = next;
    }
  }

  /**
   * The value after a key's `:` or an item's `-` (`from` is just past it), on line `index` of a
   * collection at column `indent`. `end` is where the collection's span ends if this is its last value.
   */
  private value(from: number, index: number, indent: number, ofMap: boolean): { node: Node | null; end: number; next: number } {
    if (++this.depth > MAX_PLAIN_DEPTH) decline();
    try {
      return this.valueAt(from, index, indent, ofMap);
    } finally {
      this.depth--;
    }
  }

  private valueAt(from: number, index: number, indent: number, ofMap: boolean): { node: Node | null; end: number; next: number } {
    const text = this.text;
    const lineEnd = this.lines[index]!.end;
    let at = from;
    while (at < lineEnd && text.charCodeAt(at) === 32) at++;
    if (at === lineEnd || text.charCodeAt(at) === 35) {
      // Nothing on this line: a nested block below, an indentless sequence (for a key), or null.
      const next = this.nextContent(index + 1);
      const nextLine = next === -1 ? undefined : this.lines[next]!;
      if (nextLine && nextLine.indent > indent) {
        const nested = this.block(next, nextLine.indent);
        return { node: nested.node, end: nested.node.end, next: nested.next };
      }
      if (ofMap && nextLine && nextLine.indent === indent && this.isDash(nextLine.start + indent)) {
        const nested = this.sequence(next, indent);
        return { node: nested.node, end: nested.node.end, next: nested.next };
      }
      // `yaml` counts comment lines after a null value as part of its entry (blank lines it does not).
      this.checkGap(index + 1, -1);
      // With a comment after the indicator, `yaml` ends the entry past its newline or further: not taken.
      if (at < lineEnd) decline();
      // An empty item ends past its newline in `yaml`'s count unless another item follows it: not taken.
      if (!ofMap && !(nextLine && nextLine.indent === indent)) decline();
      return { node: nullScalar(at), end: at, next: index + 1 };
    }
    if (!ofMap && this.isDash(at)) decline(); // `- - x`
    if (!ofMap && this.keyEnd(at) !== undefined) {
      // `- key: value`: a map whose keys line up at this column.
      const column = at - this.lines[index]!.start;
      const nested = this.map(index, column, at);
      return { node: nested.node, end: nested.node.end, next: nested.next };
    }
    const first = text[at]!;
    if (first === '|' || first === '>') return this.blockScalar(at, index, indent);
    if (first === '[' || first === '{') {
      const flow = first === '[' ? this.flowSequence(at, lineEnd) : this.flowMap(at, lineEnd);
      this.expectLineEnd(flow.end, lineEnd);
      return { node: flow, end: this.afterLine(at), next: index + 1 };
    }
    if (first === '"' || first === "'") {
      const close = this.quoteEnd(at, lineEnd);
      this.expectLineEnd(close, lineEnd);
      return { node: this.quoted(at, close), end: this.afterLine(at), next: index + 1 };
    }
    // A `-` not followed by a space starts a plain scalar (`--verbose`, `-1`); other indicators decline.
    if (NOT_PLAIN_START.has(first) && (first !== '-' || this.isDash(at))) decline();
    let valueEnd = at;
    for (let i = at; i < lineEnd; i++) {
      const code = text.charCodeAt(i);
      if (code === 35 && text.charCodeAt(i - 1) === 32) break;
      // `key: a: b` is an error in YAML, and `: ` inside a plain value is where it starts.
      if (code === 58 && (i + 1 >= lineEnd || text.charCodeAt(i + 1) === 32)) decline();
      if (code !== 32) valueEnd = i + 1;
    }
    // A more indented line that is not a comment continues a plain scalar: a multi-line one.
    const next = this.nextContent(index + 1);
    if (next !== -1 && this.lines[next]!.indent > indent) decline();
    return { node: this.scalarAt(at, valueEnd, false), end: this.afterLine(at), next: index + 1 };
  }

  /** Nothing but spaces and a comment may follow a value on its line. */
  private expectLineEnd(from: number, lineEnd: number): void {
    let at = from;
    while (at < lineEnd && this.text.charCodeAt(at) === 32) at++;
    if (at < lineEnd && !(this.text.charCodeAt(at) === 35 && at > from)) decline();
  }

  /** Past the closing quote of a one-line quoted scalar opening at `at`. */
  private quoteEnd(at: number, lineEnd: number): number {
    const text = this.text;
    const quote = text[at]!;
    for (let i = at + 1; i < lineEnd; i++) {
      const char = text[i]!;
      // Escapes have rules of their own: the general path decodes them.
      if (quote === '"' && char === '\\') decline();
      if (char !== quote) continue;
      if (quote === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i + 1;
    }
    return decline(); // unclosed on its line: a multi-line quoted scalar
  }

  private quoted(start: number, end: number): Scalar {
    const style = this.text[start] === '"' ? 'double' : 'single';
    const raw = this.text.slice(start + 1, end - 1);
    const value = style === 'single' ? raw.replaceAll("''", "'") : raw;
    return { kind: 'scalar', value, text: value, start, end, valueStart: Math.min(start + 1, end), valueEnd: Math.max(Math.min(start + 1, end), end - 1), style };
  }

  /** A plain scalar (a key, an item, a value) spanning [start, end), resolved as YAML 1.2's core schema does. */
  private scalarAt(start: number, end: number, isKey: boolean): Scalar {
    const first = this.text[start];
    if (isKey && (first === '"' || first === "'")) return this.quoted(start, end);
    const raw = this.text.slice(start, end);
    const value = resolvePlain(raw);
    return { kind: 'scalar', value, text: value === null ? '' : String(value), start, end, valueStart: start, valueEnd: end, style: 'plain' };
  }

  private flowSequence(open: number, lineEnd: number): SeqNode {
    const items: Node[] = [];
    const end = this.flowItems(open, lineEnd, ']', (at) => {
      const item = this.flowScalar(at, lineEnd, ']');
      items.push(item.node);
      return item.end;
    });
    return { kind: 'seq', items, start: open, end };
  }

  /** `{ key: value, ... }` on one line, of scalars. */
  private flowMap(open: number, lineEnd: number): MapNode {
    const text = this.text;
    const entries: Entry[] = [];
    const end = this.flowItems(open, lineEnd, '}', (at) => {
      const key = this.flowScalar(at, lineEnd, '}');
      // `key: value` only: a key alone, or `key:value`, reads differently in flow context.
      if (text[key.end] !== ':' || text[key.end + 1] !== ' ') decline();
      let valueAt = key.end + 1;
      while (valueAt < lineEnd && text.charCodeAt(valueAt) === 32) valueAt++;
      if (text[valueAt] === ',' || text[valueAt] === '}') decline();
      const value = this.flowScalar(valueAt, lineEnd, '}');
      entries.push({ key: key.node, value: value.node });
      return value.end;
    });
    return { kind: 'map', entries, start: open, end };
  }

  /** The items of a one-line flow collection opening at `open`; returns past its closing bracket. */
  private flowItems(open: number, lineEnd: number, close: string, item: (at: number) => number): number {
    const text = this.text;
    let at = open + 1;
    let count = 0;
    for (;;) {
      while (at < lineEnd && text.charCodeAt(at) === 32) at++;
      if (at >= lineEnd) decline(); // continues on the next line
      if (text[at] === close) {
        if (count > 0) decline(); // a trailing comma
        return at + 1;
      }
      at = item(at);
      count++;
      while (at < lineEnd && text.charCodeAt(at) === 32) at++;
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === close) return at + 1;
      decline();
    }
  }

  /** A quoted or plain scalar inside a flow collection; `end` is past its last character. */
  private flowScalar(at: number, lineEnd: number, close: string): { node: Scalar; end: number } {
    const text = this.text;
    const char = text[at]!;
    if (char === '"' || char === "'") {
      const end = this.quoteEnd(at, lineEnd);
      return { node: this.quoted(at, end), end };
    }
    // As in block context, a `-` followed by something that can go on a plain scalar starts one.
    if (NOT_PLAIN_START.has(char) && (char !== '-' || ' ,[]{}'.includes(text[at + 1] ?? ' '))) decline();
    let valueEnd = at;
    for (let i = at; i < lineEnd; i++) {
      const code = text.charCodeAt(i);
      if (code === 44 || text[i] === close) break;
      if (code === 91 || code === 93 || code === 123 || code === 125 || code === 35) decline(); // [ ] { } #
      if (code === 58) {
        // `: ` ends a key (in a map) and is not part of a plain scalar; any other colon declines.
        if (close === '}' && text.charCodeAt(i + 1) === 32) break;
        decline();
      }
      if (code !== 32) valueEnd = i + 1;
    }
    return { node: this.scalarAt(at, valueEnd, false), end: valueEnd };
  }

  /**
   * `|` or `>` with an optional `-`, its content the more indented lines below. Kept to what is
   * unambiguous: no `+`, no explicit indentation, no comment on the header; a folded one without blank
   * or more indented lines inside.
   */
  private blockScalar(at: number, index: number, parentIndent: number): { node: Scalar; end: number; next: number } {
    const text = this.text;
    const header = text.slice(at, this.lines[index]!.end);
    const match = /^([|>])(-?) *$/.exec(header);
    if (!match) decline();
    const literal = match[1] === '|';
    const strip = match[2] === '-';
    // The content's indentation is its first non-blank line's (comment-looking lines are content here).
    let firstContent = -1;
    for (let i = index + 1; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      if (line.end > line.start + line.indent) {
        firstContent = i;
        break;
      }
    }
    if (firstContent === -1) decline();
    const contentIndent = this.lines[firstContent]!.indent;
    if (contentIndent <= parentIndent) decline();
    const lines: string[] = [];
    let last = -1; // the last line with content
    let i = index + 1;
    for (; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      const blank = line.end === line.start + line.indent;
      if (blank) {
        // Spaces past the content's indentation on a blank line are content in YAML: leave those.
        if (line.indent > contentIndent) decline();
        lines.push('');
        continue;
      }
      if (line.indent < contentIndent) {
        if (line.indent > parentIndent) decline();
        break;
      }
      lines.push(text.slice(line.start + contentIndent, line.end));
      last = i;
    }
    const kept = lines.slice(0, last - index);
    let value: string;
    if (literal) value = kept.join('\n');
    else {
      if (kept.some((line) => line === '' || line.startsWith(' '))) decline();
      value = kept.join(' ');
    }
    if (!strip) value += '\n';
    const lastLine = this.lines[last]!;
    const end = Math.min(text.length, lastLine.end + 1);
    // As YamlConverter computes them: past the header line and the first line's indentation, before
    // the trailing line break.
    let valueStart = Math.min(this.lines[index]!.end + 1, end);
    while (valueStart < end && text.charCodeAt(valueStart) === 32) valueStart++;
    let valueEnd = end;
    while (valueEnd > valueStart && /\s/.test(text[valueEnd - 1]!)) valueEnd--;
    return { node: { kind: 'scalar', value, text: value, start: at, end, valueStart, valueEnd, style: 'block' }, end, next: last + 1 };
  }
}

function nullScalar(at: number): Scalar {
  return { kind: 'scalar', value: null, text: '', start: at, end: at, valueStart: at, valueEnd: at, style: 'plain' };
}

/**
 * A plain scalar's value under YAML 1.2's core schema (the `yaml` package's default): null, booleans,
 * decimal numbers; a string otherwise. Octal, hexadecimal, infinities, NaN and long numbers decline.
 */
function resolvePlain(raw: string): string | number | boolean | null {
  if (raw === '' || raw === '~' || raw === 'null' || raw === 'Null' || raw === 'NULL') return null;
  if (raw === 'true' || raw === 'True' || raw === 'TRUE') return true;
  if (raw === 'false' || raw === 'False' || raw === 'FALSE') return false;
  const code = raw.charCodeAt(0);
  // Only something that starts like a number can be one.
  if (!((code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46)) return raw;
  if (/^0o|^0x|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/.test(raw)) decline();
  if (/^[-+]?[0-9]+$/.test(raw) || /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(raw)) {
    if (raw.length > 15) decline();
    return Number(raw);
  }
  return raw;
}
