/**
 * Writing the corpus' files: a text builder that knows the line and column of everything it writes, and the
 * template renderer that turns a syntax template ("export {NAME}={V}") plus a value into text.
 *
 * A rendered template marks the value it placed with two sentinels (MARK_START ... MARK_END); Doc.append
 * strips them and records where the value landed, as the scanner reports places: 1-based lines, 1-based
 * columns in UTF-16 code units, endColumn after the last character.
 */
import { Rng } from '../../test/helpers/random.js';

export const MARK_START = '\u0001';
export const MARK_END = '\u0002';

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One file being written. */
export class Doc {
  private parts: string[] = [];
  line = 1;
  column = 1;

  /** Appends text; returns the spans of the marked parts, in order. */
  append(text: string): Span[] {
    const spans: Span[] = [];
    let open: { line: number; column: number } | undefined;
    let plain = '';
    for (const char of text) {
      if (char === MARK_START) {
        open = { line: this.line, column: this.column };
        continue;
      }
      if (char === MARK_END) {
        if (!open) throw new Error('unbalanced value marker in a template');
        spans.push({ line: open.line, column: open.column, endLine: this.line, endColumn: this.column });
        open = undefined;
        continue;
      }
      plain += char;
      if (char === '\n') {
        this.line++;
        this.column = 1;
      } else {
        this.column += char.length; // UTF-16 units (astral characters are 2)
      }
    }
    if (open) throw new Error('unbalanced value marker in a template');
    this.parts.push(plain);
    return spans;
  }

  text(): string {
    return this.parts.join('');
  }
}

// ─── Names ────────────────────────────────────────────────────────────────────────────────────────

/** "DD_API_KEY", "twilioApiKeySid", "spring.datasource.password", "X-Api-Key" → lower-case words. */
export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

export const pascal = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
export const camel = (words: readonly string[]): string => (words.length === 0 ? '' : words[0]! + words.slice(1).map(pascal).join(''));

/** Every spelling of a setting name a template can ask for. */
export function nameVars(words: readonly string[]): Record<string, string> {
  const w = words.length > 0 ? words : ['value'];
  const sec = w.length > 1 ? w.slice(0, 1) : w;
  const rest = w.length > 1 ? w.slice(1) : w;
  return {
    NAME: w.join('_').toUpperCase(),
    name: w.join('_'),
    nameC: camel(w),
    NameP: w.map(pascal).join(''),
    'name-k': w.join('-'),
    'name.d': w.join('.'),
    NameH: w.map(pascal).join('-'),
    sec: sec.join('_'),
    Sec: sec.map(pascal).join(''),
    SEC: sec.join('_').toUpperCase(),
    rest: rest.join('_'),
    restC: camel(rest),
    RestP: rest.map(pascal).join(''),
    REST: rest.join('_').toUpperCase(),
  };
}

// ─── Values ───────────────────────────────────────────────────────────────────────────────────────

/**
 * What goes where a template says {V}: the tracked part (`secret`) with optional text around it that is
 * written but not tracked (a connection URI around its password).
 */
export interface Value {
  pre: string;
  secret: string;
  post: string;
}

export const bare = (secret: string): Value => ({ pre: '', secret, post: '' });

/**
 * Value transforms a template can ask for with {V:NAME}. Encodings (b64, b64up) track the whole encoded
 * text, since that is where a scanner that decodes would report it.
 */
export function placeValue(value: Value, transform: string | undefined, user: string): string {
  const tracked = (inner: string) => `${MARK_START}${inner}${MARK_END}`;
  const whole = value.pre + value.secret + value.post;
  switch (transform) {
    case undefined:
    case '':
      return value.pre + tracked(value.secret) + value.post;
    case 'esc': // JSON / C-style string escapes for a multi-line value
      return value.pre + tracked(value.secret.replace(/\n/g, '\\n')) + value.post;
    case 'crlfesc':
      return value.pre + tracked(value.secret.replace(/\n/g, '\\r\\n')) + value.post;
    case 'b64':
      return tracked(Buffer.from(whole).toString('base64'));
    case 'b64up':
      return tracked(Buffer.from(`${user}:${whole}`).toString('base64'));
    case 'jsconcat': {
      // '-----BEGIN…-----\n' +\n  'MIIE…\n' + …  (older Node code, test helpers)
      const lines = whole.split('\n');
      return tracked(lines.map((line, i) => `'${line}${i < lines.length - 1 ? '\\n' : ''}'`).join(' +\n  '));
    }
    case 'javaconcat': {
      const lines = whole.split('\n');
      return tracked(lines.map((line, i) => `"${line}${i < lines.length - 1 ? '\\n' : ''}"`).join(' +\n            '));
    }
    default: {
      const indent = /^ind(\d+)$/.exec(transform);
      if (indent) {
        const pad = ' '.repeat(Number(indent[1]));
        return value.pre + tracked(value.secret.replace(/\n/g, `\n${pad}`)) + value.post;
      }
      throw new Error(`unknown value transform "${transform}"`);
    }
  }
}

/** Where the renderer draws random filler values ({host}, {n}, {uuid}, ...). */
export interface RenderContext {
  rng: Rng;
  vars: Record<string, string>;
}

const HEX = '0123456789abcdef';
const NOUNS = 'user account order invoice payment session profile product cart customer report billing search inventory catalog shipping notify mailer gateway worker scheduler ledger audit media upload export'.split(' ');
const HOSTS = ['db.internal', '10.0.3.7', 'api.acme.io', 'svc.cluster.local', 'prod.acme-corp.net', 'internal.example-corp.io'];

export function fillerVars(rng: Rng): Record<string, string> {
  const noun = rng.pick(NOUNS);
  return {
    noun,
    Noun: pascal(noun),
    NOUN: noun.toUpperCase(),
    noun2: rng.pick(NOUNS),
    n: String(rng.range(2, 60)),
    port: String(rng.pick([3000, 8080, 8443, 5000, 9090])),
    host: rng.pick(HOSTS),
    region: rng.pick(['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2']),
    uuid: `${rng.chars(HEX, 8)}-${rng.chars(HEX, 4)}-4${rng.chars(HEX, 3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.chars(HEX, 3)}-${rng.chars(HEX, 12)}`,
    ver: `${rng.range(0, 9)}.${rng.range(0, 30)}.${rng.range(0, 20)}`,
    user: rng.pick(['app', 'deploy', 'svc_api', 'ci-bot', 'admin', 'reporting']),
    email: `${rng.pick(['ops', 'dev', 'platform', 'alice', 'bob'])}@acme-corp.io`,
    svc: 'acme',
    Svc: 'Acme',
  };
}

/**
 * Renders a template. {V} / {V:transform} is the value; {E} is a raw expression (references, for the
 * negatives); every other {word} comes from `vars` (names, filler). Unknown placeholders throw, so a typo in
 * a template fails loudly instead of writing "{nmae}" into the corpus.
 */
export function render(template: string, vars: Record<string, string>, value?: Value, expression?: string, user = 'user'): string {
  return template.replace(/\{([A-Za-z][A-Za-z0-9_.-]*)(?::([a-z0-9]+))?\}/g, (whole, key: string, transform: string | undefined) => {
    if (key === 'V') {
      if (!value) throw new Error(`template needs a value: ${template}`);
      return placeValue(value, transform, user);
    }
    if (key === 'E') {
      if (expression === undefined) throw new Error(`template needs an expression: ${template}`);
      return expression;
    }
    const replacement = vars[key];
    if (replacement === undefined) throw new Error(`unknown placeholder ${whole} in template: ${template}`);
    return replacement;
  });
}
