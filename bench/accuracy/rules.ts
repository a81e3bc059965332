/**
 * From each built-in rule's examples to the values the bench plants, and how they may be placed.
 *
 * A rule's examples are the source of truth for its token format. An example is expanded with the faker,
 * then the rule's secret is located in it: the span of the rule's secret group where the rule's own pattern
 * matches over a marker, or else the first marker's value widened to the token around it (`sk_live_` +
 * marker). What sits around the secret in the example decides how the bench may reuse it:
 *
 *   block  a multi-line value (PEM, PGP, PuTTY): placed as a key file, YAML block, escaped JSON string, ...
 *   url    a self-identifying URL (webhooks): assigned to a URL setting or passed to curl/fetch/requests
 *   token  a self-identifying value (it contains one of the rule's keywords: ghp_, AKIA, xoxb-): placed
 *          anywhere, under any name or none (headers, arguments, URLs)
 *   named  a value recognisable only by the setting it is assigned to (DD_API_KEY=<32 hex>, password=...):
 *          placed under that setting's name, spelled in each syntax's style (DD_API_KEY, ddApiKey,
 *          dd-api-key, datadog: {api_key: ...})
 *   uri    a password in a connection URI (postgres://user:PASS@host): placed in a URI built around it
 *   line   none of the above, or a shape that loses what the rule needs when taken out of its example:
 *          the example itself (all its lines) is placed verbatim, in a file named after what it looks
 *          like (.npmrc, .pypirc, .env, YAML, ...), in docs and notes, and in scripts and CI steps when it
 *          is a command
 *
 * Every placement draws a fresh value: the example is expanded again with the next values of the seeded
 * faker, so a run is deterministic for its seed and no two planted secrets are the same.
 */
import { shannonEntropy } from '../../src/detect/entropy.js';
import { isPlaceholder } from '../../src/detect/placeholders.js';
import type { RuleSpec } from '../../src/types.js';
import type { Faker } from '../../test/helpers/fake-secrets.js';
import { splitWords } from './doc.js';

export type ValueClass = 'block' | 'url' | 'token' | 'named' | 'uri' | 'line';

export interface Shape {
  cls: ValueClass;
  /** The example template this shape was read from. */
  example: string;
  /** named: the setting's name in the example, as words. */
  words?: string[];
  /** uri: scheme (with +driver) and user from the example; the user may be empty (redis://:pass@). */
  scheme?: string;
  user?: string;
  /** uri: the example's "@host/path" when the rule needs it (its keyword is there, not in the scheme). */
  hostPath?: string;
  /** named: the first marker's kind, e.g. "password:20" (which kind of value the setting holds). */
  markerKind?: string;
}

export interface RulePlan {
  rule: RuleSpec;
  shapes: Shape[];
  /** Setting names seen in any example (also those of token examples: SLACK_BOT_TOKEN=xoxb-...). */
  exampleNames: string[][];
  /** Examples the bench could not use (no marker, or no secret found in them). */
  skipped: string[];
}

export interface Expanded {
  text: string;
  /** Marker spans in `text`, in order. */
  markers: { start: number; end: number; kind: string }[];
}

const MARKER = /<<fake:([^>]+)>>/g;

export function expandExample(faker: Faker, template: string): Expanded {
  const markers: Expanded['markers'] = [];
  let text = '';
  let last = 0;
  for (const match of template.matchAll(MARKER)) {
    text += template.slice(last, match.index);
    const value = faker.make(match[1]!);
    markers.push({ start: text.length, end: text.length + value.length, kind: match[1]! });
    text += value;
    last = match.index + match[0].length;
  }
  text += template.slice(last);
  return { text, markers };
}

/** The rule's pattern as a JavaScript RegExp (built-in patterns are the RE2/JS common subset), or undefined. */
function jsRegex(rule: RuleSpec): RegExp | undefined {
  const flags = /^\(\?([is]+)\)/.exec(rule.pattern);
  const body = flags ? rule.pattern.slice(flags[0].length) : rule.pattern;
  try {
    return new RegExp(body, `dg${flags?.[1] ?? ''}`);
  } catch {
    return undefined;
  }
}

const regexCache = new Map<string, RegExp | undefined>();

/** Where the secret is in an expanded example: [start, end) in its text. */
export function locateSecret(rule: RuleSpec, expanded: Expanded): { start: number; end: number } | undefined {
  const first = expanded.markers[0];
  if (!first) return undefined;
  if (!regexCache.has(rule.id)) regexCache.set(rule.id, jsRegex(rule));
  const regex = regexCache.get(rule.id);
  if (regex) {
    regex.lastIndex = 0;
    for (const match of expanded.text.matchAll(regex)) {
      const span = match.indices?.[rule.secretGroup];
      if (!span) continue;
      const [start, end] = span;
      if (expanded.markers.some((marker) => marker.start < end && start < marker.end)) return { start, end };
    }
  }
  // The marker widened to the token it is part of: "sk_live_" + marker, "HRKU-AA" + marker.
  let start = first.start;
  let end = first.end;
  if (!first.kind.startsWith('pem') && !first.kind.startsWith('pgp')) {
    while (start > 0 && /[A-Za-z0-9_-]/.test(expanded.text[start - 1]!)) start--;
    while (end < expanded.text.length && /[A-Za-z0-9_-]/.test(expanded.text[end]!)) end++;
  }
  return { start, end };
}

/** "  export DD_API_KEY=" / '"client_secret": "' / "$config['smtp_pwd'] = '" / '-H "DD-API-KEY: ' → the name. */
export function settingName(prefix: string): string | undefined {
  const match = /([A-Za-z_][A-Za-z0-9_.-]*)["'`]?\]?[ \t]*(?:=>|:=|=|:)[ \t]*["'`]?$/.exec(prefix);
  return match?.[1];
}

const URI_PREFIX = /([a-z][a-z0-9+.-]*):\/\/([^:/?#@\s"'<>{}]*):$/i;

function includesKeyword(rule: RuleSpec, text: string): boolean {
  const lower = text.toLowerCase();
  return rule.keywords.length === 0 || rule.keywords.some((keyword) => lower.includes(keyword));
}

/** The canonical form of a block value: real newlines (examples may carry JSON's \n escapes). */
function canonicalBlock(secret: string): string {
  return secret.includes('\n') ? secret : secret.replace(/\\n/g, '\n');
}

/** The secrets the rule's own pattern reports in `text` (undefined when the pattern is not JavaScript-compatible). */
function reportedSecrets(rule: RuleSpec, text: string): string[] | undefined {
  if (!regexCache.has(rule.id)) regexCache.set(rule.id, jsRegex(rule));
  const regex = regexCache.get(rule.id);
  if (!regex) return undefined;
  const found: string[] = [];
  for (const match of text.matchAll(regex)) {
    const span = match.indices?.[rule.secretGroup];
    if (span) found.push(text.slice(span[0], span[1]));
  }
  return found;
}

/** True when the rule's pattern finds `secret` in `text` (or the pattern cannot be checked here). */
function recognises(rule: RuleSpec, text: string, secret: string): boolean {
  const found = reportedSecrets(rule, text);
  return found === undefined || found.some((s) => s === secret || s.includes(secret) || secret.includes(s));
}

/** How many of the usual spellings of a setting name (UPPER_SNAKE, snake, camel) still hold a keyword. */
function keywordSpellings(rule: RuleSpec, words: string[]): number {
  const spellings = [words.join('_').toUpperCase(), words.join('_'), words[0] + words.slice(1).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')];
  return spellings.filter((spelling) => includesKeyword(rule, spelling)).length;
}

/**
 * Classifies each example. A value is generalised (placed in the bench's own syntaxes) only when its shape
 * stands on its own: the rule's pattern must recognise the shape's canonical form (the bare token; NAME=value
 * with the example's own name; the URI alone), and a setting name must keep a keyword when re-spelled. When
 * the example's surroundings are part of the format (a secret key paired with its key id on the line before,
 * an `.npmrc` key such as `_auth`), the example is placed verbatim instead.
 */
export function analyzeRule(rule: RuleSpec, faker: Faker): RulePlan {
  const plan: RulePlan = { rule, shapes: [], exampleNames: [], skipped: [] };
  for (const example of rule.examples) {
    const expanded = expandExample(faker, example);
    const where = locateSecret(rule, expanded);
    if (!where) {
      plan.skipped.push(example);
      continue;
    }
    const secret = expanded.text.slice(where.start, where.end);
    const prefix = expanded.text.slice(0, where.start);
    const after = expanded.text.slice(where.end);
    const name = settingName(prefix);
    if (name && keywordSpellings(rule, splitWords(name)) >= 2) plan.exampleNames.push(splitWords(name));
    const markerKind = expanded.markers[0]!.kind;
    const line: Shape = { cls: 'line', example };
    if (/-----BEGIN [A-Z0-9 ]+-----/.test(secret) || canonicalBlock(secret).includes('\n')) {
      // Plain armour lines only: a key already written as concatenated string literals stays verbatim.
      const block = canonicalBlock(secret);
      plan.shapes.push(!/["'`]/.test(block) && recognises(rule, `${block}\n`, block) ? { cls: 'block', example } : line);
    } else if (includesKeyword(rule, secret)) {
      plan.shapes.push(recognises(rule, ` ${secret} `, secret) ? { cls: /^https?:\/\//i.test(secret) ? 'url' : 'token', example } : line);
    } else if (URI_PREFIX.test(prefix) && after.startsWith('@')) {
      const [whole, scheme, user] = URI_PREFIX.exec(prefix)!;
      const rest = /^@[^\s"'`<>]*/.exec(after)![0];
      // The host and path are the bench's own unless the rule's keyword is in them (a Jenkins host, say).
      const keywordInScheme = includesKeyword(rule, `${scheme}://`);
      const shape: Shape = { cls: 'uri', example, scheme: scheme!, user: user!, ...(keywordInScheme ? {} : { hostPath: rest }) };
      plan.shapes.push(recognises(rule, `${whole}${secret}${rest}`, secret) ? shape : line);
    } else if (name && includesKeyword(rule, name) && keywordSpellings(rule, splitWords(name)) >= 2 && recognises(rule, `${name}=${secret}`, secret)) {
      plan.shapes.push({ cls: 'named', example, words: splitWords(name), markerKind });
    } else {
      plan.shapes.push(line);
    }
  }
  // A self-identifying value needs no name: when a rule has such examples, its named ones only lend names.
  const selfIdentifying = plan.shapes.filter((shape) => shape.cls === 'token' || shape.cls === 'url' || shape.cls === 'block');
  if (selfIdentifying.length > 0) plan.shapes = selfIdentifying;
  else if (plan.shapes.some((shape) => shape.cls !== 'line')) plan.shapes = plan.shapes.filter((shape) => shape.cls !== 'line');
  return plan;
}

export interface PlantValue {
  /** The secret as the rule reports it (blocks with real newlines). */
  secret: string;
  shape: Shape;
  /** line shapes: the whole expanded example line, with the secret at secretIndex. */
  line?: string;
  secretIndex?: number;
}

/**
 * A fresh value of the shape's format. Redrawn (a few times at most) when the draw falls under the rule's
 * own entropy floor or looks like a placeholder: real tokens of the format are random and clear both, and
 * the bench measures rules, not the luck of a draw.
 */
export function drawValue(rule: RuleSpec, shape: Shape, faker: Faker): PlantValue {
  let best: PlantValue | undefined;
  for (let attempt = 0; attempt < 8; attempt++) {
    const expanded = expandExample(faker, shape.example);
    const where = locateSecret(rule, expanded);
    if (!where) continue;
    let secret = expanded.text.slice(where.start, where.end);
    if (shape.cls === 'block') secret = canonicalBlock(secret);
    best = { secret, shape, line: expanded.text, secretIndex: where.start };
    const entropyOk = rule.entropy === undefined || shannonEntropy(secret) >= rule.entropy;
    if (entropyOk && !isPlaceholder(secret)) return best;
  }
  if (!best) throw new Error(`rule ${rule.id}: cannot draw a value from example ${JSON.stringify(shape.example)}`);
  return best;
}
