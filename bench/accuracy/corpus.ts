/**
 * The corpus: planted secrets of every built-in rule and look-alike negatives, spread over the file kinds,
 * written into a folder, with the ground truth of where everything is.
 *
 * Plan first (every item is rendered to text with value markers), then write: items are grouped by file
 * kind, shuffled, and packed a few per file between the kind's head and tail with ordinary filler between
 * them, so secrets sit among placeholders and references as they do in real configuration.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RuleSpec } from '../../src/types.js';
import { createFaker, type Faker } from '../../test/helpers/fake-secrets.js';
import { Rng } from '../../test/helpers/random.js';
import { bare, Doc, fillerVars, nameVars, pascal, render, splitWords, type Value } from './doc.js';
import { ALL_KINDS, FILE_KINDS, KIND_BY_ID, keyFilePath, snippetPath, templateFits, type FileKind, type Slot, type Template, type ValueFacts } from './kinds.js';
import { armoured, NEGATIVE_KINDS, negB64, negDigits, negHex, pngBase64, sopsTrailer, type NegativeKind, type NegContext } from './negatives.js';
import { analyzeRule, drawValue, type RulePlan, type Shape, type ValueClass } from './rules.js';

export interface CorpusOptions {
  seed: number;
  /** Placements per rule (generic rules get twice as many). */
  perRule: number;
  /** Instances per negative kind; by default as many look-alikes in all as planted secrets. */
  perNegative?: number;
}

export interface PlantedSecret {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  credentialType: string;
  secret: string;
  fileKind: string;
  template: string;
  valueClass: ValueClass;
  /** Written base64-encoded: found only by a scanner that decodes. */
  encoded: boolean;
  /** Lines of the whole entry (name, quotes, surrounding call). */
  entryLine: number;
  entryEndLine: number;
}

export interface PlantedNegative {
  path: string;
  line: number;
  endLine: number;
  kind: string;
  family: string;
  fileKind: string;
  template: string;
  /** The look-alike value, for the report (shortened). */
  sample: string;
}

export interface Corpus {
  files: number;
  bytes: number;
  fileKinds: number;
  secrets: PlantedSecret[];
  negatives: PlantedNegative[];
  /** Rules with no usable example (nothing planted), with the reason. */
  unplanted: { ruleId: string; reason: string }[];
  plans: RulePlan[];
  /** The kind of every file written, by path. */
  pathKinds: Map<string, string>;
}

interface Item {
  kind: FileKind;
  template: string;
  text: string;
  /** A path of its own (key files named after their armour, verbatim snippets named after their syntax). */
  path?: string;
  positive?: Omit<PlantedSecret, 'path' | 'line' | 'column' | 'endLine' | 'endColumn' | 'entryLine' | 'entryEndLine' | 'fileKind' | 'template'>;
  negative?: { kind: NegativeKind; sample: string };
}

const NEUTRAL_NAMES = [['auth'], ['key'], ['api', 'key'], ['token'], ['access', 'token'], ['credentials']];
const GENERIC_SERVICES = ['acme', 'partner', 'billing', 'mailer', 'vendor'];

/** Name pools for the generic rules, on top of the names in their examples: names real repositories use, some without any keyword a rule could anchor on. */
const GENERIC_PASSWORD_NAMES = ['password', 'db_password', 'DB_PASS', 'POSTGRES_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'smtp_password', 'mail_password', 'admin_password', 'redis_password', 'ldap_bind_password', 'keystore_password', 'PGPASSWORD', 'passwd', 'root_pwd', 'pass', 'rabbitmq_default_pass'];
const GENERIC_SECRET_NAMES = ['secret_key', 'jwt_secret', 'session_secret', 'app_secret', 'client_secret', 'api_key', 'apiKey', 'access_token', 'auth_token', 'private_token', 'webhook_secret', 'api_secret', 'consumer_secret', 'secret_key_base', 'x-api-key', 'auth_key', 'encryption_key', 'signing_key', 'master_key'];

export function generateCorpus(dir: string, rules: readonly RuleSpec[], options: CorpusOptions): Corpus {
  const rng = new Rng(options.seed);
  const faker = createFaker(options.seed);
  const plans = rules.map((rule) => analyzeRule(rule, faker));
  const items: Item[] = [];
  const unplanted: Corpus['unplanted'] = [];

  for (const plan of plans) {
    if (plan.shapes.length === 0) {
      unplanted.push({ ruleId: plan.rule.id, reason: plan.rule.examples.length === 0 ? 'no examples' : 'no example with a <<fake:…>> marker the bench could locate' });
      continue;
    }
    const count = plan.rule.credentialType.startsWith('generic') ? options.perRule * 2 : options.perRule;
    items.push(...planPositives(plan, count, rng, faker));
  }

  const tokenShapes = tokenShapesOf(plans, faker);
  const g: NegContext = { rng, tokenShape: () => (tokenShapes.length > 0 ? rng.pick(tokenShapes) : { prefix: 'tok_', body: 'abcdefghijklmnopqrstuvwx' }) };
  const planted = items.length;
  const perNegative = options.perNegative ?? Math.max(8, Math.ceil(planted / NEGATIVE_KINDS.length));
  for (const negative of NEGATIVE_KINDS) items.push(...planNegatives(negative, perNegative, g));

  return writeCorpus(dir, items, rng, g, plans, unplanted);
}

// ─── Positives ────────────────────────────────────────────────────────────────────────────────────

function planPositives(plan: RulePlan, count: number, rng: Rng, faker: Faker): Item[] {
  const rule = plan.rule;
  const isGeneric = rule.credentialType.startsWith('generic');
  const svc = isGeneric ? '' : rule.provider.replace(/[^a-z0-9]/gi, '').toLowerCase();
  const kinds = shuffled(rng, FILE_KINDS.filter((k) => !k.rawOnly));
  let cursor = 0;
  const items: Item[] = [];
  const shapes = shuffled(rng, plan.shapes);
  for (let i = 0; i < count; i++) {
    const shape = shapes[i % shapes.length]!;
    const drawn = drawValue(rule, shape, faker);
    const placement = describePlacement(plan, shape, drawn.secret, drawn.line, drawn.secretIndex, rng);
    // The next kind (in this rule's shuffled order) with a template that takes this value.
    let chosen: { kind: FileKind; template: Template } | undefined;
    for (let step = 0; step < kinds.length && !chosen; step++) {
      const kind = kinds[(cursor + step) % kinds.length]!;
      const template = pickTemplate(rng, kind, placement.slots, placement.facts);
      if (template) {
        chosen = { kind, template };
        cursor = (cursor + step + 1) % kinds.length;
      }
    }
    if (!chosen) continue;
    const service = svc || rng.pick(GENERIC_SERVICES);
    const vars: Record<string, string> = { ...fillerVars(rng), ...randomVars(rng), ...nameVars(placement.words), svc: service, Svc: pascal(service) };
    const text = render(chosen.template.text, vars, placement.value, undefined, vars.user);
    const whole = placement.facts.whole;
    const path = chosen.kind.id === 'key-file' ? keyFilePath(whole, vars.noun!) : chosen.kind.id === 'config-snippet' ? snippetPath(whole, service) : undefined;
    items.push({
      kind: chosen.kind,
      template: chosen.template.id,
      text,
      ...(path ? { path } : {}),
      positive: {
        ruleId: rule.id,
        credentialType: rule.credentialType,
        secret: drawn.secret,
        valueClass: shape.cls,
        encoded: /\{V:b64/.test(chosen.template.text),
      },
    });
  }
  return items;
}

interface Placement {
  slots: Slot[];
  words: string[];
  value: Value;
  facts: ValueFacts;
}

function describePlacement(plan: RulePlan, shape: Shape, secret: string, line: string | undefined, index: number | undefined, rng: Rng): Placement {
  const rule = plan.rule;
  const provider = splitWords(rule.provider);
  const exampleName = () => (plan.exampleNames.length > 0 ? rng.pick(plan.exampleNames) : undefined);
  let slots: Slot[];
  let words: string[];
  let value: Value = bare(secret);
  let isPassword = false;
  switch (shape.cls) {
    case 'token': {
      slots = ['A', 'T'];
      const roll = rng.float();
      words = (roll < 0.5 ? exampleName() : undefined) ?? (roll < 0.8 ? [...provider, ...rng.pick(providerSuffixes(rule.credentialType))] : rng.pick(NEUTRAL_NAMES));
      break;
    }
    case 'url':
      slots = ['A', 'U'];
      words = (rng.chance(0.5) ? exampleName() : undefined) ?? rng.pick([[...provider, 'webhook', 'url'], ['webhook', 'url'], ['alerts', 'webhook'], ['notify', 'url']]);
      break;
    case 'block':
      slots = ['B'];
      words = rng.pick([['private', 'key'], ['ssh', 'private', 'key'], ['tls', 'key'], ['signing', 'key'], ['deploy', 'key'], ['gpg', 'private', 'key'], ['jwt', 'private', 'key']]);
      break;
    case 'uri': {
      slots = ['A', 'R'];
      const scheme = shape.scheme!;
      const base = scheme.replace(/\+.*$/, '').toLowerCase();
      words = (rng.chance(0.4) ? exampleName() : undefined) ?? rng.pick([['database', 'url'], ['db', 'url'], [base, 'url'], ['dsn'], ['connection', 'string'], [base, 'uri']]);
      value = shape.hostPath ? { pre: `${scheme}://${shape.user ?? ''}:`, secret, post: shape.hostPath } : buildUri(rng, scheme, shape.user ?? '', secret);
      break;
    }
    case 'named': {
      slots = ['A'];
      const fromExample = shape.words!;
      isPassword = /pass|pwd/.test(fromExample.join(' ')) || shape.markerKind?.startsWith('password') === true || shape.markerKind?.startsWith('url-password') === true;
      words = fromExample;
      if (rule.credentialType.startsWith('generic') && rng.chance(0.5)) {
        words = splitWords(rng.pick(isPassword ? GENERIC_PASSWORD_NAMES : GENERIC_SECRET_NAMES));
      }
      break;
    }
    case 'line': {
      // The whole example, verbatim (it may span lines: a key id and its secret key).
      slots = ['L'];
      words = provider;
      const text = line ?? secret;
      const at = index ?? Math.max(0, text.indexOf(secret));
      value = { pre: text.slice(0, at), secret: text.slice(at, at + secret.length), post: text.slice(at + secret.length) };
      break;
    }
  }
  const whole = value.pre + value.secret + value.post;
  return { slots, words, value, facts: { whole, secret: value.secret, words, isPassword, credentialType: rule.credentialType } };
}

function providerSuffixes(credentialType: string): string[][] {
  if (/payment/.test(credentialType)) return [['secret', 'key'], ['api', 'key']];
  if (/signing|oauth-client/.test(credentialType)) return [['secret'], ['webhook', 'secret'], ['client', 'secret']];
  if (/cloud-iam/.test(credentialType)) return [['access', 'key'], ['token'], ['key']];
  if (/token|scm|ci-|package|secrets-manager|messaging/.test(credentialType)) return [['token'], ['access', 'token'], ['auth', 'token']];
  return [['api', 'key'], ['key'], ['token']];
}

const URI_HOSTS: Record<string, string[]> = {
  postgres: ['db.internal:5432', 'prod-db.cluster-c9x8k2.eu-west-1.rds.amazonaws.com:5432', '10.0.3.7:5432', 'pg-primary.svc.cluster.local:5432'],
  mysql: ['mysql.prod.internal:3306', '10.1.0.5:3306', 'shop-db.c1a2b3.us-east-1.rds.amazonaws.com:3306'],
  mongodb: ['mongo-0.mongo:27017,mongo-1.mongo:27017', 'cluster0.k3x9q.mongodb.net', 'mongo.internal:27017'],
  redis: ['cache.internal:6380', 'redis-master.svc.cluster.local:6379', 'redis-12345.c1.eu-west-1-2.ec2.redns.redis-cloud.com:12345'],
  amqp: ['b-1a2b3c4d.mq.eu-west-1.amazonaws.com:5671', 'rabbitmq.internal:5672'],
};

function buildUri(rng: Rng, scheme: string, exampleUser: string, secret: string): Value {
  const base = scheme.replace(/\+.*$/, '').replace(/s$/, '').replace(/ql$/, '').toLowerCase();
  const family = base.startsWith('postgre') || base === 'postgre' ? 'postgres' : base.startsWith('mongo') ? 'mongodb' : base.startsWith('maria') ? 'mysql' : base;
  const hosts = URI_HOSTS[family] ?? ['db.internal', '10.0.3.7', 'service.prod.internal'];
  let host = rng.pick(hosts);
  if (/\+srv/.test(scheme)) host = host.replace(/:\d+.*$/, '').replace(/,.*$/, '');
  const user = exampleUser === '' ? (rng.chance(0.7) ? '' : 'default') : rng.pick([exampleUser, 'app', 'svc_reporting', 'api', 'deploy', 'etl']);
  const path = family === 'redis' ? `/${rng.range(0, 3)}` : family === 'amqp' ? rng.pick(['/prod', '/', '/%2F']) : `/${rng.pick(['app', 'orders', 'billing', 'warehouse', 'analytics'])}`;
  const query = rng.chance(0.4) ? rng.pick(['?sslmode=require', '?retryWrites=true&w=majority', '?ssl=true', '?connect_timeout=10']) : '';
  return { pre: `${scheme}://${user}:`, secret, post: `@${host}${path}${query}` };
}

/**
 * Token-class values of the rules whose keyword is their literal prefix (ghp_, xoxb-, sk_live_), cut after
 * it: the shape the "placeholder xxxx" and "masked" negatives copy. Tokens whose keyword sits inside the
 * random part (Mailchimp's -us1) are left out, since keeping their head would keep random, secret-like text.
 */
function tokenShapesOf(plans: RulePlan[], faker: Faker): { prefix: string; body: string }[] {
  const shapes: { prefix: string; body: string }[] = [];
  for (const plan of plans) {
    const shape = plan.shapes.find((s) => s.cls === 'token');
    if (!shape) continue;
    const { secret } = drawValue(plan.rule, shape, faker);
    const lower = secret.toLowerCase();
    const keyword = plan.rule.keywords.filter((k) => lower.startsWith(k)).sort((a, b) => b.length - a.length)[0];
    if (keyword && keyword.length >= 3 && keyword.length < secret.length) shapes.push({ prefix: secret.slice(0, keyword.length), body: secret.slice(keyword.length) });
  }
  return shapes;
}

// ─── Negatives ────────────────────────────────────────────────────────────────────────────────────

const SERVICES = ['stripe', 'github', 'acme', 'sendgrid', 'twilio', 'openai', 'slack', 'partner'];

function planNegatives(negative: NegativeKind, count: number, g: NegContext): Item[] {
  const rng = g.rng;
  const items: Item[] = [];
  const baseVars = (): Record<string, string> => {
    const service = rng.pick(SERVICES);
    return { ...fillerVars(rng), ...randomVars(rng), svc: service, Svc: pascal(service) };
  };
  switch (negative.mode) {
    case 'literal':
    case 'block': {
      const slots: Slot[] = negative.mode === 'block' ? ['B'] : ['A', ...(negative.slots ?? [])];
      const allowed = FILE_KINDS.filter((k) => !k.rawOnly && (!negative.kinds || negative.kinds.includes(k.id)));
      const kinds = shuffled(rng, allowed);
      let cursor = 0;
      for (let i = 0; i < count; i++) {
        const made = negative.make!(g);
        const vars: Record<string, string> = { ...baseVars(), ...nameVars(made.words) };
        const valueText = render(made.value, vars);
        const facts: ValueFacts = { whole: valueText, secret: valueText, words: made.words, isPassword: /^(?:pass|password|passwd|pwd)$/.test(made.words[made.words.length - 1] ?? ''), family: negative.family };
        let chosen: { kind: FileKind; template: Template } | undefined;
        for (let step = 0; step < kinds.length && !chosen; step++) {
          const kind = kinds[(cursor + step) % kinds.length]!;
          const template = pickTemplate(rng, kind, slots, facts, true);
          if (template) {
            chosen = { kind, template };
            cursor = (cursor + step + 1) % kinds.length;
          }
        }
        if (!chosen) continue;
        const path = chosen.kind.id === 'key-file' ? publicKeyFilePath(valueText, vars.noun!) : undefined;
        items.push({
          kind: chosen.kind,
          template: chosen.template.id,
          text: render(chosen.template.text, vars, bare(valueText), undefined, vars.user),
          negative: { kind: negative, sample: valueText },
          ...(path ? { path } : {}),
        });
      }
      break;
    }
    case 'expr': {
      const kinds = shuffled(rng, FILE_KINDS.filter((k) => !k.rawOnly && negative.byLang?.[k.lang] && k.templates.some((t) => t.slots.includes('E'))));
      for (let i = 0; i < count && kinds.length > 0; i++) {
        const kind = kinds[i % kinds.length]!;
        const template = rng.pick(kind.templates.filter((t) => t.slots.includes('E')));
        const words = rng.pick(negative.names ?? [['token']]);
        const vars: Record<string, string> = { ...baseVars(), ...nameVars(words) };
        const expression = render(rng.pick(negative.byLang![kind.lang]!), vars);
        items.push({ kind, template: template.id, text: render(template.text, vars, undefined, expression, vars.user), negative: { kind: negative, sample: expression } });
      }
      break;
    }
    case 'code': {
      const kinds = shuffled(rng, FILE_KINDS.filter((k) => !k.rawOnly && negative.byLang?.[k.lang]));
      for (let i = 0; i < count && kinds.length > 0; i++) {
        const kind = kinds[i % kinds.length]!;
        const words = rng.pick(negative.names ?? [['token']]);
        const vars: Record<string, string> = { ...baseVars(), ...nameVars(words) };
        const line = render(rng.pick(negative.byLang![kind.lang]!), vars);
        const text = line.split('\n').map((l) => (l.length > 0 ? kind.indent + l : l)).join('\n');
        items.push({ kind, template: 'code', text, negative: { kind: negative, sample: line } });
      }
      break;
    }
    case 'raw': {
      const targets = Object.keys(negative.raw ?? {});
      for (const target of targets) {
        const kind = KIND_BY_ID.get(target);
        if (!kind) throw new Error(`negative "${negative.kind}" writes into unknown file kind "${target}"`);
        const n = Math.max(2, Math.ceil(count / targets.length));
        for (let i = 0; i < n; i++) {
          const text = negative.raw![target]!(g);
          items.push({ kind, template: 'raw', text, negative: { kind: negative, sample: text } });
        }
      }
      break;
    }
  }
  return items;
}

/** Public halves and encrypted files get the names they have in repositories. */
function publicKeyFilePath(text: string, noun: string): string {
  if (/CERTIFICATE/.test(text)) return `certs/${noun}.crt`;
  if (/PGP PUBLIC KEY/.test(text)) return `keys/${noun}-release.asc`;
  if (/PUBLIC KEY/.test(text)) return `keys/${noun}.pub.pem`;
  if (/AGE ENCRYPTED/.test(text)) return `secrets/${noun}.env.age`;
  return `secrets/${noun}.gpg.asc`;
}

// ─── Templates and values ─────────────────────────────────────────────────────────────────────────

function pickTemplate(rng: Rng, kind: FileKind, slots: readonly Slot[], facts: ValueFacts, negative = false): Template | undefined {
  // Placeholders get base64-encoded in Kubernetes Secrets (data:), hardly anywhere else.
  const fitting = kind.templates.filter((t) => t.slots.some((s) => slots.includes(s)) && templateFits(t, facts) && !(negative && t.text.includes('{V:b64') && kind.id !== 'k8s-secret-data'));
  if (fitting.length === 0) return undefined;
  // Positions without a setting name (headers, arguments) are where prefix-only rules are tested.
  return rng.weighted(fitting.map((t) => [t, t.weight * (t.slots.includes('A') ? 1 : 1.5)] as const));
}

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HF_MODELS = ['bert-base-uncased', 'gpt2', 'distilbert-base-uncased-finetuned-sst-2-english', 'sentence-transformers/all-MiniLM-L6-v2'];

/** Random values some templates and code lines ask for ({hex40}, {png}, {cert}, ...). */
function randomVars(rng: Rng): Record<string, string> {
  const g = { rng, tokenShape: () => ({ prefix: '', body: '' }) };
  return {
    hex8: negHex(g, 8),
    hex22: negHex(g, 22),
    hex40: negHex(g, 40),
    HEX40: negHex(g, 40).toUpperCase(),
    hex64: negHex(g, 64),
    digits12: negDigits(g, 12),
    digits20: negDigits(g, 20),
    upper10: rng.chars(UPPER_DIGITS, 10),
    sri: negB64(g, 64),
    png: pngBase64(g, rng.range(80, 600)),
    svg: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M${rng.range(1, 20)} ${rng.range(1, 20)}h${rng.range(1, 9)}v${rng.range(1, 9)}z"/></svg>`).toString('base64'),
    firebaseKey: `AIza${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 35)}`,
    hfModel: rng.pick(HF_MODELS),
    cert: armoured(g, 'CERTIFICATE', 14),
    // Literal braces some files contain (VS Code variables, JS template literals, Ruby interpolation).
    workspaceFolder: '{workspaceFolder}',
    id: '{id}',
  };
}

// ─── Writing ──────────────────────────────────────────────────────────────────────────────────────

function writeCorpus(dir: string, items: Item[], rng: Rng, g: NegContext, plans: RulePlan[], unplanted: Corpus['unplanted']): Corpus {
  const byKind = new Map<string, Item[]>();
  for (const item of items) {
    let list = byKind.get(item.kind.id);
    if (!list) byKind.set(item.kind.id, (list = []));
    list.push(item);
  }
  const corpus: Corpus = { files: 0, bytes: 0, fileKinds: byKind.size, secrets: [], negatives: [], unplanted, plans, pathKinds: new Map() };
  const usedPaths = new Set<string>();
  for (const kind of ALL_KINDS) {
    const list = byKind.get(kind.id);
    if (!list) continue;
    const queue = shuffled(rng, list);
    while (queue.length > 0) {
      const size = queue[0]!.path ? 1 : Math.min(queue.length, kind.maxItems <= 1 ? 1 : rng.range(Math.min(2, kind.maxItems), kind.maxItems));
      const fileItems = queue.splice(0, size);
      const vars = { ...fillerVars(rng), ...randomVars(rng) };
      const path = uniquePath(rng, kind, vars, usedPaths, fileItems[0]!.path);
      corpus.pathKinds.set(path, kind.id);
      const doc = new Doc();
      doc.append(render(kind.head, vars));
      const entries: (Item | string)[] = [];
      for (const item of fileItems) {
        if (kind.filler.length > 0 && rng.chance(0.5)) entries.push(render(rng.pick(kind.filler), { ...fillerVars(rng), ...randomVars(rng) }));
        entries.push(item);
      }
      entries.forEach((entry, index) => {
        if (index > 0) doc.append(kind.sep);
        if (typeof entry === 'string') {
          doc.append(entry);
          return;
        }
        const entryLine = doc.line;
        const spans = doc.append(entry.text);
        const entryEndLine = doc.line;
        if (entry.positive) {
          const span = spans[0];
          if (!span) throw new Error(`template ${kind.id}:${entry.template} placed no value`);
          corpus.secrets.push({ ...entry.positive, path, ...span, fileKind: kind.id, template: `${kind.id}:${entry.template}`, entryLine, entryEndLine });
        } else if (entry.negative) {
          const sample = entry.negative.sample.replace(/\s+/g, ' ');
          corpus.negatives.push({
            path,
            line: entryLine,
            endLine: entryEndLine,
            kind: entry.negative.kind.kind,
            family: entry.negative.kind.family,
            fileKind: kind.id,
            template: `${kind.id}:${entry.template}`,
            sample: sample.length > 90 ? `${sample.slice(0, 87)}...` : sample,
          });
        }
      });
      doc.append(kind.id === 'sops-yaml' ? `\n${sopsTrailer(g)}` : render(kind.tail, vars));
      const text = doc.text();
      const abs = join(dir, path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text);
      corpus.files++;
      corpus.bytes += Buffer.byteLength(text);
    }
  }
  return corpus;
}

function uniquePath(rng: Rng, kind: FileKind, vars: Record<string, string>, used: Set<string>, wanted?: string): string {
  for (let attempt = 0; attempt < 12; attempt++) {
    const path = wanted ?? render(rng.pick(kind.paths), { ...vars, ...fillerVars(rng) });
    if (!used.has(path)) {
      used.add(path);
      return path;
    }
  }
  for (let n = 2; ; n++) {
    const path = `apps/${vars.noun}-${n}/${wanted ?? render(rng.pick(kind.paths), vars)}`;
    if (!used.has(path)) {
      used.add(path);
      return path;
    }
  }
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
