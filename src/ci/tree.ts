/**
 * CI files as a small tree with positions: maps, sequences and scalars, each with its span in the file.
 * Plain YAML (most CI files) goes through a parser of its own (yaml-plain.ts), any other YAML through the
 * `yaml` package (parseAllDocuments with source ranges), with the same result; JSON and JSONC (MCP configs,
 * `cloudbuild.json`) through a small parser here, so both arrive as the same Node types and every check can
 * say exactly where a value is.
 *
 * Aliases resolve to the anchored node itself, so a value reached through `*ref` is reported where its text
 * is; merge keys (`<<: *defaults`) add the anchored map's entries. An alias that points into its own
 * ancestor (a cycle) becomes null, so the tree is a DAG; code that walks everything uses walk(), which visits
 * each node once (a billion-laughs file costs one visit per distinct node).
 */
import type { Alias, Document, Node as YamlNode } from 'yaml';
import { firstLine } from '../util/quote.js';
import { parsePlainYaml } from './yaml-plain.js';

export interface Scalar {
  kind: 'scalar';
  /** The parsed value; keys and values of JSON and YAML are strings, numbers, booleans or null. */
  value: string | number | boolean | null;
  /** The value as text ('' for null). */
  text: string;
  /** Span of the whole node in the source, quotes and block headers included. */
  start: number;
  end: number;
  /** Span of the value's characters: inside the quotes, after a block scalar's header line. */
  valueStart: number;
  valueEnd: number;
  style: 'plain' | 'single' | 'double' | 'block';
  tag?: string;
}

export interface Entry {
  key: Scalar;
  value: Node | null;
}

export interface MapNode {
  kind: 'map';
  entries: Entry[];
  start: number;
  end: number;
  tag?: string;
}

export interface SeqNode {
  kind: 'seq';
  items: (Node | null)[];
  start: number;
  end: number;
  tag?: string;
}

export type Node = Scalar | MapNode | SeqNode;

export class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Deeper than this, a file is not a CI configuration but an attack on the parser. */
const MAX_DEPTH = 512;

// ---------------------------------------------------------------------------------------------------- YAML

/**
 * Every document of a YAML stream; throws ParseError on the first error. Plain YAML is read by
 * parsePlainYaml, several times faster, into the very trees parseYamlGeneral makes; the rest by the latter.
 *
 * The `yaml` package follows the spec where Go's YAML parser (Kubernetes, Argo, Tekton, Drone) does not:
 * the continuation lines of a multi-line flow collection or quoted scalar must be indented more than the
 * key that holds it. Files written for the lenient parser (`args: ["` … `"]` with the closing line under
 * the key) are valid for their platform, so when the strict parse fails such lines are indented and the
 * file parsed again, with offsets mapped back to the original text.
 */
export function parseYaml(text: string): (Node | null)[] {
  return plainTrees(text, true) ?? parseYamlGeneral(text);
}

/**
 * The `yaml` package, loaded only for YAML the plain parser declines: most scans meet none, and loading
 * it cost ~20 ms of start-up. parseYamlGeneral needs it loaded: asynchronous callers await
 * loadYamlFor(text) first (runCiChecksWhenReady does), synchronous ones loadYamlPackage() once.
 */
let yamlLoaded: typeof import('yaml') | undefined;

export async function loadYamlPackage(): Promise<void> {
  if (yamlLoaded) return;
  // A CommonJS package: depending on the loader its exports arrive as named or under `default`.
  const module = (await import('yaml')) as Partial<typeof import('yaml')> & { default?: typeof import('yaml') };
  yamlLoaded = module.parseAllDocuments ? (module as typeof import('yaml')) : module.default!;
}

/** Whether the `yaml` package has been loaded in this process (its loading is on demand). */
export function isYamlPackageLoaded(): boolean {
  return yamlLoaded !== undefined;
}

/** Loads the `yaml` package if `text` is YAML the plain parser declines (parseYaml will need it then). */
export async function loadYamlFor(text: string): Promise<void> {
  if (plainTrees(text, false) === undefined) await loadYamlPackage();
}

/** A caller's mistake, not the file's: runCiChecks lets it through instead of reporting a parse error. */
export class YamlNotLoadedError extends Error {
  constructor() {
    super('internal: the yaml package is not loaded; await loadYamlFor(text) or loadYamlPackage() first');
  }
}

function yamlPackage(): typeof import('yaml') {
  if (!yamlLoaded) throw new YamlNotLoadedError();
  return yamlLoaded;
}

/**
 * parsePlainYaml, remembering one answer for the next call on the same text: loadYamlFor parses to
 * decide, and the parseYaml after it takes that tree instead of parsing again. `take` hands the
 * remembered trees over (and forgets them), so no two callers share one tree.
 */
let remembered: { text: string; trees: (Node | null)[] | undefined } | undefined;

function plainTrees(text: string, take: boolean): (Node | null)[] | undefined {
  const trees = remembered?.text === text ? remembered.trees : parsePlainYaml(text);
  remembered = take ? undefined : { text, trees };
  return trees;
}

/** parseYaml for any YAML, through the `yaml` package: what parsePlainYaml is held to. */
export function parseYamlGeneral(text: string): (Node | null)[] {
  try {
    return parseStrict(text, text);
  } catch (error) {
    const relaxed = error instanceof ParseError ? relaxFlowIndentation(text) : undefined;
    if (!relaxed) throw error;
    let documents: (Node | null)[];
    try {
      documents = parseStrict(relaxed.text, relaxed.text);
    } catch {
      throw error;
    }
    shiftOffsets(documents, relaxed.original);
    return documents;
  }
}

function parseStrict(text: string, source: string): (Node | null)[] {
  const documents = yamlPackage().parseAllDocuments(text, {
    keepSourceTokens: true,
    // Duplicate keys make the file invalid for most platforms, but the checks can still read it.
    uniqueKeys: false,
    merge: false,
    prettyErrors: false,
    strict: false,
  });
  const list = Array.isArray(documents) ? documents : [documents];
  for (const document of list) {
    const error = document.errors[0];
    if (error) throw new ParseError(firstLine(error.message), error.pos[0]);
  }
  return list.map((document) => new YamlConverter(document, source).convert(document.contents as YamlNode | null));
}

/**
 * The text with under-indented continuation lines of multi-line flow collections and quoted scalars
 * indented one column past the key that opened them (where leading spaces mean nothing), and a map from
 * offsets in the new text to offsets in the old one. Undefined when no line needed it.
 */
function relaxFlowIndentation(text: string): { text: string; original: (offset: number) => number } | undefined {
  const lines = text.split('\n');
  const insertedAt: number[] = []; // offsets in the new text where inserted spaces end
  const insertedTotal: number[] = [];
  let depth = 0;
  let quote: string | undefined;
  let required = 0;
  let blockIndent = -1; // inside a block scalar: its parent's indentation
  let offset = 0;
  let total = 0;
  const out: string[] = [];
  for (let line of lines) {
    const indent = /^ */.exec(line)![0].length;
    if (blockIndent >= 0 && (line.trim() === '' || indent > blockIndent)) {
      out.push(line);
      offset += line.length + 1;
      continue;
    }
    blockIndent = -1;
    if ((depth > 0 || quote) && line.trim() !== '' && indent < required) {
      const pad = required - indent;
      line = ' '.repeat(pad) + line;
      total += pad;
      insertedAt.push(offset + pad);
      insertedTotal.push(total);
    } else if (depth === 0 && !quote) {
      // The column of this line's key: past the indentation and any `- ` of sequence items.
      required = /^[ ]*(?:- +)*/.exec(line)![0].length + 1;
    }
    let start = 0;
    if (depth === 0 && !quote) {
      const value = /^[ ]*(?:- +)*(?:[^\s#'"[\]{},][^#]*?:[ \t]+|- +)?/.exec(line)!;
      start = value[0].length;
      const first = line[start];
      if (first !== '[' && first !== '{' && first !== '"' && first !== "'") {
        if (/(?:^|[ \t])[|>][-+0-9]*[ \t]*(?:#.*)?$/.test(line)) blockIndent = indent;
        out.push(line);
        offset += line.length + 1;
        continue;
      }
    }
    for (let i = start; i < line.length; i++) {
      const char = line[i]!;
      if (quote === '"') {
        if (char === '\\') i++;
        else if (char === '"') quote = undefined;
      } else if (quote === "'") {
        if (char === "'" && line[i + 1] === "'") i++;
        else if (char === "'") quote = undefined;
      } else if (char === '"' || char === "'") quote = char;
      else if (char === '[' || char === '{') depth++;
      else if (char === ']' || char === '}') depth = Math.max(0, depth - 1);
      else if (char === '#' && (i === 0 || line[i - 1] === ' ')) break;
      if (depth === 0 && !quote) break;
    }
    out.push(line);
    offset += line.length + 1;
  }
  if (insertedAt.length === 0) return undefined;
  const original = (at: number): number => {
    // The last insertion that ends at or before `at`.
    let low = 0;
    let high = insertedAt.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (insertedAt[mid]! <= at) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found === -1 ? at : at - insertedTotal[found]!;
  };
  return { text: out.join('\n'), original };
}

function shiftOffsets(documents: (Node | null)[], original: (offset: number) => number): void {
  const seen = new Set<object>();
  const shift = (node: Node | Scalar) => {
    if (seen.has(node)) return;
    seen.add(node);
    node.start = original(node.start);
    node.end = original(node.end);
    if (node.kind === 'scalar') {
      node.valueStart = original(node.valueStart);
      node.valueEnd = original(node.valueEnd);
    }
  };
  for (const document of documents) {
    walk(document, (node) => {
      shift(node);
      if (node.kind === 'map') for (const { key } of node.entries) shift(key);
    });
  }
}

class YamlConverter {
  private readonly done = new Map<YamlNode, Node | null>();
  private readonly building = new Set<YamlNode>();
  /**
   * Each alias's target, found in one pass. `Alias.resolve(document)` walks the whole document on every
   * call, which made a file of n aliases cost n × its size (seconds for a 10 KB alias-dense workflow).
   */
  private readonly targets = new Map<Alias, YamlNode | undefined>();
  /** The `yaml` package, loaded before any document reaches a converter. */
  private readonly yaml = yamlPackage();

  constructor(
    document: Document.Parsed,
    private readonly source: string,
  ) {
    // The same rule as yaml's own resolve(): the last node with that anchor before the alias, in document order.
    const anchors = new Map<string, YamlNode>();
    const { isAlias, visit } = this.yaml;
    visit(document, {
      Node: (_key, node) => {
        if (isAlias(node)) this.targets.set(node, anchors.get(node.source));
        else if (node.anchor) anchors.set(node.anchor, node);
      },
    });
  }

  convert(node: YamlNode | null | undefined, depth = 0): Node | null {
    if (!node) return null;
    const { isAlias, isMap, isScalar, isSeq } = this.yaml;
    if (depth > MAX_DEPTH) throw new ParseError(`nesting deeper than ${MAX_DEPTH} levels`, node.range?.[0] ?? 0);
    if (isAlias(node)) {
      const target = this.targets.get(node);
      if (!target || this.building.has(target)) return null;
      return this.convert(target, depth + 1);
    }
    const cached = this.done.get(node);
    if (cached !== undefined) return cached;
    this.building.add(node);
    let result: Node | null;
    if (isScalar(node)) result = this.scalar(node);
    else if (isMap(node)) result = this.map(node, depth);
    else if (isSeq(node)) result = this.seq(node, depth);
    else result = null;
    this.building.delete(node);
    this.done.set(node, result);
    return result;
  }

  private scalar(node: YamlNode & { value: unknown; type?: string; source?: string }): Scalar {
    const [start, end] = range(node);
    const value = node.value;
    const simple = value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
    let style: Scalar['style'] = 'plain';
    let valueStart = start;
    let valueEnd = end;
    switch (node.type) {
      case 'QUOTE_DOUBLE':
      case 'QUOTE_SINGLE':
        style = node.type === 'QUOTE_DOUBLE' ? 'double' : 'single';
        valueStart = Math.min(start + 1, end);
        valueEnd = Math.max(valueStart, end - 1);
        break;
      case 'BLOCK_LITERAL':
      case 'BLOCK_FOLDED': {
        style = 'block';
        const source = (node as { srcToken?: { source?: string; props?: { source?: string }[] } }).srcToken;
        const header = source?.props?.map((prop) => prop.source ?? '').join('') ?? '';
        const newline = header.indexOf('\n');
        valueStart = newline === -1 ? end : Math.min(start + newline + 1, end);
        // The content's own characters: past the first line's indentation, before the trailing line breaks.
        while (valueStart < end && (this.source.charCodeAt(valueStart) === 32 || this.source.charCodeAt(valueStart) === 9)) valueStart++;
        while (valueEnd > valueStart && /\s/.test(this.source[valueEnd - 1]!)) valueEnd--;
        break;
      }
    }
    const text = simple === null ? '' : String(simple);
    return { kind: 'scalar', value: simple, text, start, end, valueStart, valueEnd, style, ...tagOf(node) };
  }

  private map(node: YamlNode & { items: { key: unknown; value: unknown }[] }, depth: number): MapNode {
    const [start, end] = range(node);
    const result: MapNode = { kind: 'map', entries: [], start, end, ...tagOf(node) };
    const merged: Entry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const valueNode = pair.value as YamlNode | null;
      const key = keyNode ? this.convert(keyNode, depth + 1) : null;
      if (!key || key.kind !== 'scalar') continue; // complex keys never name CI settings
      const { isAlias, isSeq } = this.yaml;
      if (key.text === '<<' && key.style === 'plain' && valueNode && (isAlias(valueNode) || isSeq(valueNode))) {
        const sources = isSeq(valueNode) ? (valueNode.items as YamlNode[]) : [valueNode];
        for (const source of sources) {
          const target = this.convert(source, depth + 1);
          if (target?.kind === 'map') merged.push(...target.entries);
        }
        continue;
      }
      result.entries.push({ key, value: this.convert(valueNode, depth + 1) });
    }
    // Explicit keys win over merged ones, as YAML's merge-key type says.
    const own = new Set(result.entries.map((entry) => entry.key.text));
    for (const entry of merged) {
      if (own.has(entry.key.text)) continue;
      own.add(entry.key.text);
      result.entries.push(entry);
    }
    return result;
  }

  private seq(node: YamlNode & { items: unknown[] }, depth: number): SeqNode {
    const [start, end] = range(node);
    return { kind: 'seq', items: node.items.map((item) => this.convert(item as YamlNode, depth + 1)), start, end, ...tagOf(node) };
  }
}

function range(node: YamlNode): [number, number] {
  const r = node.range;
  return r ? [r[0], r[1]] : [0, 0];
}

function tagOf(node: YamlNode): { tag?: string } {
  return node.tag ? { tag: node.tag } : {};
}


// ---------------------------------------------------------------------------------------------------- JSON

/**
 * JSON, tolerating what editors' JSONC allows (VS Code's mcp.json): `//` and `/* *\/` comments and trailing
 * commas. Throws ParseError with the offset of the problem.
 */
export function parseJson(text: string): Node | null {
  const parser = new JsonParser(text);
  parser.skipSpace();
  if (parser.at >= text.length) return null;
  const value = parser.value(0);
  parser.skipSpace();
  if (parser.at < text.length) throw new ParseError(`unexpected ${describe(text, parser.at)} after the top-level value`, parser.at);
  return value;
}

class JsonParser {
  at = 0;

  constructor(private readonly text: string) {
    // A byte-order mark is not whitespace to JSON, but editors write one.
    if (text.charCodeAt(0) === 0xfeff) this.at = 1;
  }

  skipSpace(): void {
    const text = this.text;
    while (this.at < text.length) {
      const code = text.charCodeAt(this.at);
      if (code === 32 || code === 9 || code === 10 || code === 13) this.at++;
      else if (code === 47 && text.charCodeAt(this.at + 1) === 47) {
        const newline = text.indexOf('\n', this.at);
        this.at = newline === -1 ? text.length : newline + 1;
      } else if (code === 47 && text.charCodeAt(this.at + 1) === 42) {
        const close = text.indexOf('*/', this.at + 2);
        if (close === -1) throw new ParseError('unterminated /* comment', this.at);
        this.at = close + 2;
      } else break;
    }
  }

  value(depth: number): Node {
    if (depth > MAX_DEPTH) throw new ParseError(`nesting deeper than ${MAX_DEPTH} levels`, this.at);
    this.skipSpace();
    const char = this.text[this.at];
    if (char === '{') return this.object(depth);
    if (char === '[') return this.array(depth);
    if (char === '"') return this.string();
    return this.literal();
  }

  private object(depth: number): MapNode {
    const start = this.at++;
    const entries: Entry[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === '}') break;
      if (this.text[this.at] !== '"') throw new ParseError(`expected a "quoted" key, found ${describe(this.text, this.at)}`, this.at);
      const key = this.string();
      this.skipSpace();
      if (this.text[this.at] !== ':') throw new ParseError(`expected ':' after a key, found ${describe(this.text, this.at)}`, this.at);
      this.at++;
      entries.push({ key, value: this.value(depth + 1) });
      this.skipSpace();
      if (this.text[this.at] === ',') {
        this.at++;
        continue;
      }
      if (this.text[this.at] === '}') break;
      throw new ParseError(`expected ',' or '}', found ${describe(this.text, this.at)}`, this.at);
    }
    this.at++;
    return { kind: 'map', entries, start, end: this.at };
  }

  private array(depth: number): SeqNode {
    const start = this.at++;
    const items: Node[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === ']') break;
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.at] === ',') {
        this.at++;
        continue;
      }
      if (this.text[this.at] === ']') break;
      throw new ParseError(`expected ',' or ']', found ${describe(this.text, this.at)}`, this.at);
    }
    this.at++;
    return { kind: 'seq', items, start, end: this.at };
  }

  private string(): Scalar {
    const text = this.text;
    const start = this.at++;
    let value = '';
    let runStart = this.at;
    for (;;) {
      if (this.at >= text.length) throw new ParseError('unterminated string', start);
      const code = text.charCodeAt(this.at);
      if (code === 34) break;
      if (code === 10) throw new ParseError('line break inside a string', this.at);
      if (code === 92) {
        value += text.slice(runStart, this.at);
        const escape = text[this.at + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (escape !== undefined && simple[escape] !== undefined) {
          value += simple[escape];
          this.at += 2;
        } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(this.at + 2, this.at + 6))) {
          value += String.fromCharCode(parseInt(text.slice(this.at + 2, this.at + 6), 16));
          this.at += 6;
        } else {
          throw new ParseError(`invalid escape ${describe(text, this.at)}`, this.at);
        }
        runStart = this.at;
        continue;
      }
      this.at++;
    }
    value += text.slice(runStart, this.at);
    this.at++;
    return { kind: 'scalar', value, text: value, start, end: this.at, valueStart: start + 1, valueEnd: this.at - 1, style: 'double' };
  }

  private literal(): Scalar {
    const start = this.at;
    const match = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.at, this.at + 64));
    if (!match) throw new ParseError(`unexpected ${describe(this.text, this.at)}`, this.at);
    this.at += match[0].length;
    const raw = match[0];
    const value = raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : Number(raw);
    return { kind: 'scalar', value, text: value === null ? '' : raw, start, end: this.at, valueStart: start, valueEnd: this.at, style: 'plain' };
  }
}

function describe(text: string, at: number): string {
  if (at >= text.length) return 'the end of the file';
  return JSON.stringify(text[at]);
}

// ------------------------------------------------------------------------------------------------- helpers

export function isMapNode(node: Node | null | undefined): node is MapNode {
  return node?.kind === 'map';
}

export function isSeqNode(node: Node | null | undefined): node is SeqNode {
  return node?.kind === 'seq';
}

export function isScalarNode(node: Node | null | undefined): node is Scalar {
  return node?.kind === 'scalar';
}

/** The entry of `key` in a map (the last one, as YAML and JSON parsers keep the last duplicate). */
export function entry(node: Node | null | undefined, key: string): Entry | undefined {
  if (node?.kind !== 'map') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i]!.key.text === key) return node.entries[i];
  return undefined;
}

export function get(node: Node | null | undefined, key: string): Node | null | undefined {
  return entry(node, key)?.value;
}

/** The value at a path of keys, or undefined. */
export function at(node: Node | null | undefined, ...keys: string[]): Node | null | undefined {
  let current: Node | null | undefined = node;
  for (const key of keys) current = get(current, key);
  return current;
}

/** A scalar's text, or undefined for anything else. */
export function text(node: Node | null | undefined): string | undefined {
  return node?.kind === 'scalar' ? node.text : undefined;
}

export function mapEntries(node: Node | null | undefined): Entry[] {
  return node?.kind === 'map' ? node.entries : [];
}

export function seqItems(node: Node | null | undefined): Node[] {
  return node?.kind === 'seq' ? (node.items.filter(Boolean) as Node[]) : [];
}

/** A sequence's items, or the node itself when a platform allows one value in place of a list. */
export function listOf(node: Node | null | undefined): Node[] {
  if (!node) return [];
  return node.kind === 'seq' ? seqItems(node) : [node];
}

/** Scalars in a (possibly nested) list: GitLab's `script:` may nest lists from `!reference` and anchors. */
export function scalarsIn(node: Node | null | undefined, depth = 0): Scalar[] {
  if (!node || depth > 8) return [];
  if (node.kind === 'scalar') return node.value === null ? [] : [node];
  if (node.kind === 'seq') return seqItems(node).flatMap((item) => scalarsIn(item, depth + 1));
  return [];
}

/**
 * Every node under `root` once (aliases make a DAG), with the key it sits under. `visit` returning false
 * skips the node's children. Iterative, so no file can exhaust the stack here.
 */
export function walk(root: Node | null | undefined, visit: (node: Node, key: string | undefined, parentKeys: readonly string[]) => boolean | void): void {
  if (!root) return;
  const seen = new Set<Node>();
  const stack: { node: Node; key: string | undefined; parents: readonly string[] }[] = [{ node: root, key: undefined, parents: [] }];
  while (stack.length > 0) {
    const { node, key, parents } = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (visit(node, key, parents) === false) continue;
    const inner = key === undefined ? parents : [...parents, key];
    if (node.kind === 'map') {
      for (let i = node.entries.length - 1; i >= 0; i--) {
        const { key: entryKey, value } = node.entries[i]!;
        if (value) stack.push({ node: value, key: entryKey.text, parents: inner });
      }
    } else if (node.kind === 'seq') {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];
        if (item) stack.push({ node: item, key, parents });
      }
    }
  }
}
