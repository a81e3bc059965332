/**
 * The benchmark's input: a deterministic, realistic source tree written to disk.
 *
 * Real repositories are what make a secret scanner slow, not random bytes: TypeScript full of `token`,
 * `password`, `apiKey` and `secret` that hold `process.env.X` or `getToken()` (every one a keyword hit
 * for the generic rules), lockfiles full of sha512 integrity hashes, minified bundles whose single line
 * is megabytes long, source maps and other generated files. This module writes such a tree with one
 * seeded PRNG (same seed, same bytes), in two steps:
 *
 * 1. plan: every file's path, kind and target size (small metadata only), and which files receive which
 *    of the planted secrets;
 * 2. write: each file is generated block by block through a buffered writer that flushes every
 *    256 KiB, so memory stays bounded by one buffer however large the tree.
 *
 * Planted secrets come from the project's faker (test/helpers/fake-secrets.ts) and are written in the
 * syntaxes people actually use; each one's exact place is returned so the runner can compute recall.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createFaker, type Faker } from '../test/helpers/fake-secrets.js';
import { Rng } from '../test/helpers/random.js';

export interface TreeOptions {
  /** The tree is at least this large (bytes written, ignored and binary files included). */
  targetBytes: number;
  seed: number;
  /** How many secret values to plant (an AWS key pair counts two). Default 300. */
  secrets?: number;
  /**
   * The tree has at least this many files (ignored and binary ones included), topped up with
   * TypeScript. The byte budget alone gives about one file per 10 KiB; this lets the scale bench
   * promise a file count. Default 0: the budget decides, and the PRNG stream is what it always was.
   */
  files?: number;
}

/** One planted secret value and where it is: 1-based lines and columns, endColumn after the last character. */
export interface PlantedSecret {
  kind: CredentialKind;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  value: string;
}

export interface TreeSummary {
  files: number;
  bytes: number;
  planted: number;
  /** Bytes in files the scanner should skip (.gitignore'd, node_modules, binary). */
  skippableBytes: number;
  secrets: PlantedSecret[];
  /** Files and bytes per file kind, for the report. */
  byKind: Record<string, { files: number; bytes: number }>;
}

export async function generateTree(dir: string, options: TreeOptions): Promise<TreeSummary> {
  const rng = new Rng(options.seed);
  const faker = createFaker(options.seed);
  const plan = planTree(rng, options.targetBytes, options.files ?? 0);
  assignSecrets(rng, plan, options.secrets ?? 300, new CredentialMaker(faker, rng));

  const summary: TreeSummary = { files: 0, bytes: 0, planted: 0, skippableBytes: 0, secrets: [], byKind: {} };
  const madeDirs = new Set<string>();
  for (const file of plan) {
    const abs = join(dir, file.path);
    const parent = dirname(abs);
    if (!madeDirs.has(parent)) {
      mkdirSync(parent, { recursive: true });
      madeDirs.add(parent);
    }
    const out = new FileOut(abs, file.path, summary.secrets);
    GENERATORS[file.kind](out, new FileContext(rng, file), file.size);
    const bytes = out.close();
    summary.files++;
    summary.bytes += bytes;
    if (file.skippable) summary.skippableBytes += bytes;
    const kind = (summary.byKind[file.kind] ??= { files: 0, bytes: 0 });
    kind.files++;
    kind.bytes += bytes;
    // Yield to the event loop now and then, so a caller's timers and signals still run.
    if (summary.files % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  summary.planted = summary.secrets.length;
  return summary;
}


const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGITS = '0123456789';

// ─── Writing ─────────────────────────────────────────────────────────────────────────────────────

const FLUSH_AT = 256 * 1024;

/** A file being written: buffered appends, line and column tracking, planted-secret bookkeeping. */
class FileOut {
  line = 1;
  column = 1;
  /** Characters written so far (the generators' notion of size; all but a few files are ASCII). */
  size = 0;
  private parts: string[] = [];
  private pending = 0;
  private bytes = 0;
  private readonly fd: number;

  constructor(
    abs: string,
    readonly path: string,
    private readonly planted: PlantedSecret[],
  ) {
    this.fd = openSync(abs, 'w');
  }

  write(text: string): void {
    this.parts.push(text);
    this.pending += text.length;
    this.size += text.length;
    let newline = text.indexOf('\n');
    if (newline < 0) {
      this.column += text.length;
    } else {
      let last = newline;
      while (newline >= 0) {
        this.line++;
        last = newline;
        newline = text.indexOf('\n', newline + 1);
      }
      this.column = text.length - last;
    }
    if (this.pending >= FLUSH_AT) this.flush();
  }

  writeBytes(bytes: Uint8Array): void {
    this.flush();
    writeSync(this.fd, bytes);
    this.bytes += bytes.length;
    this.size += bytes.length;
  }

  /** Writes a secret value and records where it went. */
  secret(kind: CredentialKind, value: string): void {
    const start = { line: this.line, column: this.column };
    this.write(value);
    this.planted.push({ kind, path: this.path, line: start.line, column: start.column, endLine: this.line, endColumn: this.column, value });
  }

  /** Records a secret whose written form differs from its value (re-indented, escaped). */
  secretWritten(kind: CredentialKind, value: string, write: () => void): void {
    const start = { line: this.line, column: this.column };
    write();
    this.planted.push({ kind, path: this.path, line: start.line, column: start.column, endLine: this.line, endColumn: this.column, value });
  }

  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.bytes;
  }

  private flush(): void {
    if (this.pending === 0) return;
    const buffer = Buffer.from(this.parts.join(''), 'utf8');
    writeSync(this.fd, buffer);
    this.bytes += buffer.length;
    this.parts = [];
    this.pending = 0;
  }
}

// ─── Vocabulary and names ────────────────────────────────────────────────────────────────────────

const NOUNS = (
  'user account order invoice payment session profile product cart customer subscription plan team project member ' +
  'role permission webhook event message notification report metric job task queue worker file upload image document ' +
  'comment post thread channel tenant organization workspace device address shipment refund coupon price catalog ' +
  'inventory review audit log setting preference feature flag key client request response ' +
  'route cache store config schema record batch export search index query filter page cursor stream connection pool ' +
  'transaction ledger balance transfer card charge dispute payout email template locale translation widget layout ' +
  'dashboard chart session auth identity provider scope grant policy rule'
).split(' ');
const VERBS = (
  'get fetch load create update delete remove list find build parse validate normalize serialize render handle process ' +
  'sync resolve apply compute format map merge refresh rotate revoke verify sign encode decode emit dispatch schedule ' +
  'retry ensure register init open close read write flush track compare select sort group split collect reduce check ' +
  'transform upsert hydrate persist'
).split(' ');
const ADJECTIVES = (
  'active pending default current next previous cached remote local primary secondary internal external public private ' +
  'shared raw parsed signed encrypted expired valid stale fresh batched scheduled'
).split(' ');
const PROSE = (
  'the a to of and in is for that with on this be are it as from by when if each you can should will not or we our new ' +
  'all before after only also which its more than into about these other then them must may use used using returns ' +
  'called value values default configured request response server client service data field fields option options ' +
  'error errors retry timeout limit cache key keys environment variable variables deploy ' +
  'production staging local test tests run build release version migration database schema endpoint api header'
).split(' ');
const NPM_PACKAGES = (
  'express react react-dom lodash axios zod dayjs uuid chalk commander debug ms semver yargs rxjs tslib pino fastify ' +
  'koa jsonwebtoken bcrypt dotenv pg mysql2 ioredis mongoose prisma graphql undici node-fetch ws socket.io nanoid ' +
  'date-fns classnames clsx immer redux zustand swr formik yup ajv cookie cors helmet passport multer sharp'
).split(' ');

/**
 * How often generated code names a credential (token, password, secret, apiKey) where it could name
 * anything else. Tuned so that the generic rules' keywords hit about 1 time per KiB of source, as in an
 * application with auth code; the npm packages in node_modules/ show 0.1-0.8 per KiB.
 */
const CREDENTIAL_MENTION = 0.06;

const pascal = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const camel = (words: readonly string[]) => words[0]! + words.slice(1).map(pascal).join('');
const snake = (words: readonly string[]) => words.join('_');
const upper = (words: readonly string[]) => words.join('_').toUpperCase();
const kebab = (words: readonly string[]) => words.join('-');

/** Per-file naming helpers around the shared PRNG. */
class FileContext {
  private slotIndex = 0;
  private readonly plantAt: number[];

  constructor(
    readonly rng: Rng,
    readonly file: PlannedFile,
  ) {
    // Secrets go at evenly spaced points through the file, so they land in every part of it.
    const count = file.credentials.length;
    this.plantAt = file.credentials.map((_, index) => Math.floor((file.size * (index + 1)) / (count + 1)));
  }

  noun(): string {
    return this.rng.pick(NOUNS);
  }
  verb(): string {
    return this.rng.pick(VERBS);
  }
  Noun(): string {
    return pascal(this.noun());
  }
  ident(): string {
    return this.rng.chance(0.4) ? camel([this.rng.pick(ADJECTIVES), this.noun()]) : this.noun();
  }
  fn(): string {
    return camel([this.verb(), this.noun()]);
  }
  Type(): string {
    return this.rng.chance(0.3) ? pascal(this.rng.pick(ADJECTIVES)) + this.Noun() : this.Noun();
  }
  ENV(): string {
    const suffix = this.rng.chance(CREDENTIAL_MENTION) ? this.rng.pick(['token', 'api_key', 'secret', 'password']) : this.rng.pick(['url', 'host', 'port', 'timeout', 'region', 'bucket', 'enabled']);
    return upper([this.noun(), suffix]);
  }
  /** Mostly `plain`; now and then a credential-flavoured alternative, at real code's rate. */
  mention<T>(credential: T, plain: T): T {
    return this.rng.chance(CREDENTIAL_MENTION) ? credential : plain;
  }
  sentence(min = 6, max = 16): string {
    const count = this.rng.range(min, max);
    const words: string[] = [];
    for (let i = 0; i < count; i++) words.push(this.rng.chance(0.2) ? this.noun() : this.rng.pick(PROSE));
    return pascal(words.join(' ')) + '.';
  }
  uuid(): string {
    const r = this.rng;
    return `${r.chars(HEX, 8)}-${r.chars(HEX, 4)}-4${r.chars(HEX, 3)}-${r.pick(['8', '9', 'a', 'b'])}${r.chars(HEX, 3)}-${r.chars(HEX, 12)}`;
  }
  version(): string {
    return `${this.rng.range(0, 12)}.${this.rng.range(0, 30)}.${this.rng.range(0, 20)}`;
  }
  host(): string {
    return `${this.noun()}.${this.rng.pick(['internal', 'svc.cluster.local', 'example.org', 'acme.io', 'local'])}`;
  }

  /** True when the next planted secret is due at this size (or the file is full and some are left). */
  plantDue(size: number): boolean {
    return this.slotIndex < this.plantAt.length && (size >= this.plantAt[this.slotIndex]! || size >= this.file.size);
  }
  hasPending(): boolean {
    return this.slotIndex < this.plantAt.length;
  }
  nextCredential(): Credential {
    return this.file.credentials[this.slotIndex++]!;
  }
}

/** The usual generator loop: blocks until the file reaches its size, with planted secrets written at their due points. */
function fillBlocks(out: FileOut, ctx: FileContext, size: number, block: () => void, plant: (credential: Credential) => void): void {
  while (out.size < size || ctx.hasPending()) {
    if (ctx.plantDue(out.size)) plant(ctx.nextCredential());
    else block();
  }
}

// ─── Planted credentials ─────────────────────────────────────────────────────────────────────────

export type CredentialKind =
  | 'github-pat'
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'stripe-secret-key'
  | 'slack-bot-token'
  | 'slack-webhook'
  | 'openai-api-key'
  | 'anthropic-api-key'
  | 'google-api-key'
  | 'gitlab-pat'
  | 'npm-token'
  | 'sendgrid-api-key'
  | 'postgres-password'
  | 'generic-password'
  | 'generic-api-key'
  | 'generic-secret'
  | 'private-key';

/** What gets planted: one value, or two for the AWS pair, plus names for the code around it. */
interface Credential {
  type: CredentialType;
  values: { kind: CredentialKind; value: string }[];
  /** Words naming the credential: ['stripe', 'secret', 'key'] → STRIPE_SECRET_KEY, stripeSecretKey. */
  words: string[];
  /** The service it belongs to, for client constructors: 'stripe' → new StripeClient(...). */
  service: string;
  /** postgres: the URL parts around the password. */
  url?: { user: string; host: string; database: string; scheme: string };
}

type CredentialType =
  | 'github'
  | 'aws'
  | 'stripe'
  | 'slack-bot'
  | 'slack-webhook'
  | 'openai'
  | 'anthropic'
  | 'google'
  | 'gitlab'
  | 'npm'
  | 'sendgrid'
  | 'postgres'
  | 'password'
  | 'api-key'
  | 'secret'
  | 'pem';

const CREDENTIAL_WEIGHTS: [CredentialType, number][] = [
  ['password', 13],
  ['api-key', 9],
  ['secret', 6],
  ['aws', 9],
  ['postgres', 8],
  ['github', 10],
  ['stripe', 6],
  ['slack-bot', 5],
  ['slack-webhook', 3],
  ['openai', 5],
  ['anthropic', 3],
  ['google', 8],
  ['gitlab', 5],
  ['npm', 5],
  ['sendgrid', 3],
  ['pem', 4],
];

class CredentialMaker {
  constructor(
    private readonly faker: Faker,
    private readonly rng: Rng,
  ) {}

  make(type: CredentialType): Credential {
    const r = this.rng;
    const fake = (kind: string) => this.faker.make(kind);
    const one = (kind: CredentialKind, value: string, words: string[], service: string): Credential => ({ type, values: [{ kind, value }], words, service });
    switch (type) {
      case 'github':
        return one('github-pat', fake(r.chance(0.8) ? 'github:ghp' : 'github-fine-grained'), r.pick([['github', 'token'], ['gh', 'token'], ['github', 'pat']]), 'github');
      case 'aws':
        return {
          type,
          values: [
            { kind: 'aws-access-key-id', value: fake('aws-key-id') },
            { kind: 'aws-secret-access-key', value: fake('aws-secret') },
          ],
          words: ['aws', 'access', 'key'],
          service: 's3',
        };
      case 'stripe':
        return one('stripe-secret-key', `sk_live_${fake(`alnum:${r.pick([24, 32, 99])}`)}`, ['stripe', 'secret', 'key'], 'stripe');
      case 'slack-bot':
        return one('slack-bot-token', fake('slack:xoxb'), ['slack', 'bot', 'token'], 'slack');
      case 'slack-webhook':
        return one('slack-webhook', fake('slack-webhook'), ['slack', 'webhook', 'url'], 'slack');
      case 'openai':
        return one('openai-api-key', fake('openai:proj'), ['openai', 'api', 'key'], 'openai');
      case 'anthropic':
        return one('anthropic-api-key', fake('anthropic:api03'), ['anthropic', 'api', 'key'], 'anthropic');
      case 'google':
        return one('google-api-key', `AIza${fake('base64url:35')}`, r.pick([['google', 'api', 'key'], ['firebase', 'api', 'key'], ['maps', 'api', 'key']]), 'google');
      case 'gitlab':
        return one('gitlab-pat', r.chance(0.75) ? `glpat-${fake('alnum:20')}` : fake('gitlab-routable:glpat-'), ['gitlab', 'token'], 'gitlab');
      case 'npm':
        return one('npm-token', fake('npm'), ['npm', 'token'], 'npm');
      case 'sendgrid':
        return one('sendgrid-api-key', fake('sendgrid'), ['sendgrid', 'api', 'key'], 'sendgrid');
      case 'postgres':
        return {
          type,
          values: [{ kind: 'postgres-password', value: fake(`url-password:${r.range(16, 28)}`) }],
          words: ['database', 'url'],
          service: 'pg',
          url: {
            user: r.pick(['app', 'postgres', 'api', 'admin', 'billing', 'readonly']),
            host: `${r.pick(NOUNS)}-db.${r.pick(['internal', 'prod.acme.io', 'eu-west-1.rds.amazonaws.com', 'svc.cluster.local'])}`,
            database: r.pick(NOUNS) + r.pick(['', '_prod', '_main']),
            scheme: r.pick(['postgres', 'postgresql']),
          },
        };
      case 'password':
        return one('generic-password', fake(`password:${r.range(14, 24)}`), r.pick([['db', 'password'], ['password'], ['admin', 'password'], ['smtp', 'password'], ['redis', 'password']]), 'db');
      case 'api-key':
        return one(
          'generic-api-key',
          fake(r.pick(['alnum:32', 'hex:40', 'mailgun-key'])),
          r.pick([['api', 'key'], ['mailgun', 'api', 'key'], ['datadog', 'api', 'key'], ['algolia', 'api', 'key'], ['partner', 'api', 'key']]),
          r.pick(['mailgun', 'datadog', 'algolia', 'partner']),
        );
      case 'secret':
        return one('generic-secret', fake(r.chance(0.5) ? 'hex:32' : 'alnum:40'), r.pick([['client', 'secret'], ['jwt', 'secret'], ['session', 'secret'], ['webhook', 'secret']]), 'oauth');
      case 'pem':
        return one('private-key', fake(`pem:${r.pick(['RSA PRIVATE KEY', 'RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY'])}`), ['private', 'key'], 'tls');
    }
  }
}

/** Writes a postgres URL, recording only the password as the planted secret. */
function writePostgresUrl(out: FileOut, credential: Credential, suffix = ''): void {
  const url = credential.url!;
  out.write(`${url.scheme}://${url.user}:`);
  out.secret(credential.values[0]!.kind, credential.values[0]!.value);
  out.write(`@${url.host}:5432/${url.database}${suffix}`);
}

/**
 * Credentials without a recognisable shape (passwords, hex or alphanumeric keys) are found only by the
 * name they are assigned to, so they are always planted under one (DB_PASSWORD=, apiKey:, secret=),
 * never bare (`Bearer <value>`, a positional argument): recall then measures the rules, not luck.
 */
function isGeneric(credential: Credential): boolean {
  return credential.type === 'password' || credential.type === 'api-key' || credential.type === 'secret';
}

/** The option name a client constructor takes the credential under. */
function clientOption(credential: Credential, rng: Rng, style: (words: readonly string[]) => string): string {
  return isGeneric(credential) ? style(credential.words) : rng.pick(['apiKey', 'token', 'auth', 'key'].map((option) => style(option === 'apiKey' ? ['api', 'key'] : [option])));
}

function single(credential: Credential): { kind: CredentialKind; value: string } {
  return credential.values[0]!;
}

// ─── Planting syntaxes, per host file kind ───────────────────────────────────────────────────────

/** Writes one credential as a top-level statement of a TypeScript/JavaScript file. */
function plantJs(out: FileOut, ctx: FileContext, credential: Credential): void {
  const r = ctx.rng;
  const q = r.pick(["'", '"']);
  const name = camel(credential.words);
  switch (credential.type) {
    case 'aws': {
      const [id, secret] = credential.values as [{ kind: CredentialKind; value: string }, { kind: CredentialKind; value: string }];
      out.write(`\nconst s3 = new S3Client({\n  region: '${r.pick(['us-east-1', 'eu-west-1', 'ap-southeast-2'])}',\n  credentials: {\n    accessKeyId: ${q}`);
      out.secret(id.kind, id.value);
      out.write(`${q},\n    secretAccessKey: ${q}`);
      out.secret(secret.kind, secret.value);
      out.write(`${q},\n  },\n});\n`);
      return;
    }
    case 'postgres':
      if (r.chance(0.5)) {
        out.write(`\nconst pool = new Pool({ connectionString: ${q}`);
        writePostgresUrl(out, credential);
        out.write(`${q}, max: ${r.range(5, 20)} });\n`);
      } else {
        out.write(`\nexport const DATABASE_URL = process.env.DATABASE_URL ?? ${q}`);
        writePostgresUrl(out, credential);
        out.write(`${q};\n`);
      }
      return;
    case 'pem':
      out.write(`\nconst ${r.pick(['privateKey', 'signingKey', 'tlsKey'])} = \``);
      out.secret(single(credential).kind, single(credential).value);
      out.write('`;\n');
      return;
    default: {
      const { kind, value } = single(credential);
      switch (r.int(6)) {
        case 0:
          out.write(`\nconst ${name} = ${q}`);
          break;
        case 1:
          out.write(`\nexport const ${upper(credential.words)} = ${q}`);
          break;
        case 2:
          out.write(`\nconst ${credential.service}Client = new ${pascal(credential.service)}Client({ ${clientOption(credential, r, camel)}: ${q}`);
          out.secret(kind, value);
          out.write(`${q}, timeout: ${r.range(1, 30)}_000 });\n`);
          return;
        case 3:
          out.write(`\nconst ${credential.service}Options = {\n  baseUrl: 'https://api.${credential.service}.com',\n  ${name}: ${q}`);
          out.secret(kind, value);
          out.write(`${q},\n  retries: ${r.range(1, 5)},\n};\n`);
          return;
        case 4:
          out.write(`\nprocess.env.${upper(credential.words)} = process.env.${upper(credential.words)} || ${q}`);
          break;
        default:
          if (isGeneric(credential) || credential.type === 'slack-webhook') {
            out.write(`\nconst ${name} = ${q}`);
            break;
          }
          out.write(`\nconst headers = { Authorization: \`Bearer `);
          out.secret(kind, value);
          out.write("`, 'Content-Type': 'application/json' };\n");
          return;
      }
      out.secret(kind, value);
      out.write(`${q};\n`);
    }
  }
}

function plantPython(out: FileOut, ctx: FileContext, credential: Credential): void {
  const r = ctx.rng;
  const q = r.pick(["'", '"']);
  switch (credential.type) {
    case 'aws': {
      const [id, secret] = credential.values as [{ kind: CredentialKind; value: string }, { kind: CredentialKind; value: string }];
      out.write(`\n\nsession = boto3.Session(\n    aws_access_key_id=${q}`);
      out.secret(id.kind, id.value);
      out.write(`${q},\n    aws_secret_access_key=${q}`);
      out.secret(secret.kind, secret.value);
      out.write(`${q},\n    region_name="eu-central-1",\n)\n`);
      return;
    }
    case 'postgres':
      out.write(`\n${r.pick(['SQLALCHEMY_DATABASE_URI', 'DATABASE_URL', 'DB_DSN'])} = ${q}`);
      writePostgresUrl(out, credential);
      out.write(`${q}\n`);
      return;
    case 'pem':
      out.write('\nPRIVATE_KEY = """');
      out.secret(single(credential).kind, single(credential).value);
      out.write('"""\n');
      return;
    case 'password':
      if (r.chance(0.5)) {
        out.write(`\nconn = psycopg2.connect(host="${ctx.host()}", user="app", password=${q}`);
        out.secret(single(credential).kind, single(credential).value);
        out.write(`${q})\n`);
        return;
      }
      break;
    default:
      break;
  }
  const { kind, value } = single(credential);
  switch (r.int(3)) {
    case 0:
      out.write(`\n${upper(credential.words)} = ${q}`);
      out.secret(kind, value);
      out.write(`${q}\n`);
      return;
    case 1:
      out.write(`\nclient = ${pascal(credential.service)}Client(${clientOption(credential, r, snake)}=${q}`);
      out.secret(kind, value);
      out.write(`${q})\n`);
      return;
    default:
      out.write(`\nos.environ.setdefault("${upper(credential.words)}", ${q}`);
      out.secret(kind, value);
      out.write(`${q})\n`);
  }
}

function plantGo(out: FileOut, ctx: FileContext, credential: Credential): void {
  const r = ctx.rng;
  switch (credential.type) {
    case 'aws': {
      const [id, secret] = credential.values as [{ kind: CredentialKind; value: string }, { kind: CredentialKind; value: string }];
      out.write('\nvar awsCreds = credentials.NewStaticCredentials("');
      out.secret(id.kind, id.value);
      out.write('", "');
      out.secret(secret.kind, secret.value);
      out.write('", "")\n');
      return;
    }
    case 'postgres':
      out.write('\nconst dsn = "');
      writePostgresUrl(out, credential, '?sslmode=require');
      out.write('"\n');
      return;
    case 'pem':
      out.write('\nconst privateKeyPEM = `');
      out.secret(single(credential).kind, single(credential).value);
      out.write('`\n');
      return;
    default: {
      const { kind, value } = single(credential);
      if (!isGeneric(credential) && r.chance(0.3)) {
        out.write(`\nfunc new${pascal(credential.service)}Client() *${credential.service}.Client {\n\treturn ${credential.service}.NewClient("`);
        out.secret(kind, value);
        out.write('")\n}\n');
        return;
      }
      out.write(`\n${r.pick(['const', 'var'])} ${camel(credential.words)} = "`);
      out.secret(kind, value);
      out.write('"\n');
    }
  }
}

/** A JSON member (no trailing comma: the generator writes separators). */
function plantJson(out: FileOut, ctx: FileContext, credential: Credential, indent = '  '): void {
  switch (credential.type) {
    case 'aws': {
      const [id, secret] = credential.values as [{ kind: CredentialKind; value: string }, { kind: CredentialKind; value: string }];
      out.write(`${indent}"aws": {\n${indent}  "region": "us-west-2",\n${indent}  "accessKeyId": "`);
      out.secret(id.kind, id.value);
      out.write(`",\n${indent}  "secretAccessKey": "`);
      out.secret(secret.kind, secret.value);
      out.write(`"\n${indent}}`);
      return;
    }
    case 'postgres':
      out.write(`${indent}"databaseUrl": "`);
      writePostgresUrl(out, credential);
      out.write('"');
      return;
    case 'password':
      out.write(`${indent}"database": {\n${indent}  "host": "${ctx.host()}",\n${indent}  "port": 5432,\n${indent}  "user": "app",\n${indent}  "password": "`);
      out.secret(single(credential).kind, single(credential).value);
      out.write(`"\n${indent}}`);
      return;
    default:
      out.write(`${indent}"${camel(credential.words)}": "`);
      out.secret(single(credential).kind, single(credential).value);
      out.write('"');
  }
}

function plantYaml(out: FileOut, ctx: FileContext, credential: Credential): void {
  const r = ctx.rng;
  switch (credential.type) {
    case 'aws': {
      const [id, secret] = credential.values as [{ kind: CredentialKind; value: string }, { kind: CredentialKind; value: string }];
      out.write('aws:\n  access_key_id: ');
      out.secret(id.kind, id.value);
      out.write('\n  secret_access_key: ');
      out.secret(secret.kind, secret.value);
      out.write('\n');
      return;
    }
    case 'postgres':
      out.write(`${r.pick(['database_url', 'DATABASE_URL', 'dsn'])}: `);
      writePostgresUrl(out, credential);
      out.write('\n');
      return;
    case 'pem': {
      const { kind, value } = single(credential);
      out.write('tls:\n  private_key: |\n');
      out.secretWritten(kind, value, () => out.write(value.trimEnd().split('\n').map((line) => `    ${line}`).join('\n')));
      out.write('\n');
      return;
    }
    case 'password':
      out.write(`database:\n  host: ${ctx.host()}\n  port: 5432\n  user: app\n  password: `);
      out.secret(single(credential).kind, single(credential).value);
      out.write('\n');
      return;
    default: {
      const { kind, value } = single(credential);
      switch (r.int(3)) {
        case 0:
          out.write(`${snake(credential.words)}: `);
          out.secret(kind, value);
          out.write('\n');
          return;
        case 1:
          out.write(`${credential.service}:\n  ${clientOption(credential, r, snake)}: "`);
          out.secret(kind, value);
          out.write('"\n');
          return;
        default:
          out.write(`env:\n  - name: ${upper(credential.words)}\n    value: "`);
          out.secret(kind, value);
          out.write('"\n');
      }
    }
  }
}

function plantEnv(out: FileOut, ctx: FileContext, credential: Credential, exportPrefix = ''): void {
  const q = ctx.rng.pick(['', '', '"']);
  switch (credential.type) {
    case 'aws': {
      const [id, secret] = credential.values as [{ kind: CredentialKind; value: string }, { kind: CredentialKind; value: string }];
      out.write(`${exportPrefix}AWS_ACCESS_KEY_ID=${q}`);
      out.secret(id.kind, id.value);
      out.write(`${q}\n${exportPrefix}AWS_SECRET_ACCESS_KEY=${q}`);
      out.secret(secret.kind, secret.value);
      out.write(`${q}\n`);
      return;
    }
    case 'postgres':
      out.write(`${exportPrefix}DATABASE_URL=${q}`);
      writePostgresUrl(out, credential);
      out.write(`${q}\n`);
      return;
    default:
      out.write(`${exportPrefix}${upper(credential.words)}=${q}`);
      out.secret(single(credential).kind, single(credential).value);
      out.write(`${q}\n`);
  }
}

function plantShell(out: FileOut, ctx: FileContext, credential: Credential): void {
  if (credential.type !== 'aws' && credential.type !== 'postgres' && !isGeneric(credential) && ctx.rng.chance(0.4)) {
    const { kind, value } = single(credential);
    out.write(`curl -fsSL -H "Authorization: Bearer `);
    out.secret(kind, value);
    out.write(`" "https://api.${credential.service}.com/v1/${ctx.noun()}s?limit=100" | jq '.data[]'\n`);
    return;
  }
  plantEnv(out, ctx, { ...credential }, 'export ');
}

function plantMarkdown(out: FileOut, ctx: FileContext, credential: Credential): void {
  if (credential.type === 'pem') {
    out.write('\nThe staging deploy key (rotate it after the migration):\n\n```\n');
    out.secret(single(credential).kind, single(credential).value);
    out.write('\n```\n\n');
    return;
  }
  if (credential.type !== 'aws' && credential.type !== 'postgres' && !isGeneric(credential) && ctx.rng.chance(0.35)) {
    out.write(`\nFor the staging environment use \``);
    out.secret(single(credential).kind, single(credential).value);
    out.write('` until the vault migration is done.\n\n');
    return;
  }
  out.write('\nTo try it locally:\n\n```bash\n');
  plantEnv(out, ctx, credential, 'export ');
  out.write(`npm run ${ctx.rng.pick(['dev', 'start', 'seed', 'migrate'])}\n\`\`\`\n\n`);
}

/** Minified code: an object literal inline, such as a bundled Firebase config. */
function plantMinified(out: FileOut, ctx: FileContext, credential: Credential): void {
  const { kind, value } = single(credential);
  const r = ctx.rng;
  const project = `${ctx.noun()}-${ctx.noun()}-${r.chars(DIGITS, 4)}`;
  if (credential.type === 'google') {
    out.write(`;var ${r.chars('abcdefghijklmnopqrstuvwxyz', 2)}={apiKey:"`);
    out.secret(kind, value);
    out.write(`",authDomain:"${project}.firebaseapp.com",projectId:"${project}",storageBucket:"${project}.appspot.com",messagingSenderId:"${r.chars(DIGITS, 12)}"};`);
    return;
  }
  out.write(`;var ${r.chars('abcdefghijklmnopqrstuvwxyz', 2)}={${camel(credential.words)}:"`);
  out.secret(kind, value);
  out.write(`",endpoint:"https://api.${credential.service}.com/v2",timeout:3e4};`);
}

/** Which credential types each host kind may receive, and how many of the planted secrets it gets. */
const HOSTS: Partial<Record<FileKind, { weight: number; types: CredentialType[] | 'all' }>> = {
  ts: { weight: 24, types: 'all' },
  js: { weight: 6, types: 'all' },
  'ts-test': { weight: 4, types: ['password', 'api-key', 'secret', 'github', 'stripe', 'aws', 'postgres', 'pem'] },
  python: { weight: 10, types: 'all' },
  go: { weight: 6, types: 'all' },
  'json-config': { weight: 8, types: ['password', 'api-key', 'secret', 'aws', 'postgres', 'github', 'stripe', 'slack-bot', 'slack-webhook', 'openai', 'anthropic', 'google', 'gitlab', 'npm', 'sendgrid'] },
  yaml: { weight: 10, types: 'all' },
  env: { weight: 12, types: ['password', 'api-key', 'secret', 'aws', 'postgres', 'github', 'stripe', 'slack-bot', 'slack-webhook', 'openai', 'anthropic', 'google', 'gitlab', 'npm', 'sendgrid'] },
  markdown: { weight: 6, types: 'all' },
  shell: { weight: 4, types: ['password', 'api-key', 'aws', 'postgres', 'github', 'stripe', 'slack-bot', 'openai', 'anthropic', 'gitlab', 'npm', 'sendgrid'] },
  workflow: { weight: 4, types: ['api-key', 'secret', 'aws', 'github', 'npm', 'slack-webhook', 'gitlab', 'openai'] },
  npmrc: { weight: 2, types: ['npm'] },
  pem: { weight: 2, types: ['pem'] },
  'service-account': { weight: 1, types: ['pem'] },
  minified: { weight: 2, types: ['google', 'api-key', 'slack-webhook', 'sendgrid'] },
};

// ─── The plan ────────────────────────────────────────────────────────────────────────────────────

type FileKind =
  | 'ts'
  | 'js'
  | 'ts-test'
  | 'python'
  | 'go'
  | 'json-config'
  | 'yaml'
  | 'env'
  | 'markdown'
  | 'css'
  | 'lockfile'
  | 'minified'
  | 'generated'
  | 'shell'
  | 'workflow'
  | 'npmrc'
  | 'pem'
  | 'service-account'
  | 'misc'
  | 'gitignore'
  | 'binary'
  | 'ignored';

interface PlannedFile {
  path: string;
  kind: FileKind;
  size: number;
  credentials: Credential[];
  /** The scanner should not read it (ignored, node_modules, binary). */
  skippable: boolean;
}

/** Share of the tree's bytes per kind, and each kind's file-size distribution. */
const BUDGET: { kind: FileKind; share: number; size: (r: Rng) => number }[] = [
  { kind: 'ts', share: 0.27, size: (r) => r.logNormal(5_000, 0.9, 300, 60_000) },
  { kind: 'js', share: 0.06, size: (r) => r.logNormal(4_000, 0.9, 300, 40_000) },
  { kind: 'ts-test', share: 0.06, size: (r) => r.logNormal(4_500, 0.8, 400, 40_000) },
  { kind: 'python', share: 0.05, size: (r) => r.logNormal(6_000, 0.9, 300, 60_000) },
  { kind: 'go', share: 0.04, size: (r) => r.logNormal(7_000, 0.9, 400, 70_000) },
  { kind: 'json-config', share: 0.02, size: (r) => r.logNormal(1_500, 1.0, 100, 40_000) },
  { kind: 'yaml', share: 0.02, size: (r) => r.logNormal(1_500, 1.0, 150, 40_000) },
  { kind: 'env', share: 0.0003, size: (r) => r.logNormal(500, 0.6, 100, 3_000) },
  { kind: 'markdown', share: 0.05, size: (r) => r.logNormal(4_000, 1.0, 300, 80_000) },
  { kind: 'css', share: 0.04, size: (r) => (r.chance(0.1) ? r.logUniform(50_000, 300_000) : r.logNormal(4_000, 0.9, 200, 40_000)) },
  { kind: 'lockfile', share: 0.1, size: (r) => r.logUniform(300_000, 3_000_000) },
  { kind: 'minified', share: 0.15, size: (r) => r.logUniform(100_000, 2_000_000) },
  { kind: 'generated', share: 0.1, size: (r) => r.logUniform(1_000_000, 5_000_000) },
  { kind: 'shell', share: 0.001, size: (r) => r.logNormal(1_500, 0.8, 200, 12_000) },
  { kind: 'workflow', share: 0.0005, size: (r) => r.logNormal(1_500, 0.5, 400, 6_000) },
  { kind: 'misc', share: 0.0004, size: (r) => r.logNormal(800, 0.7, 100, 6_000) },
  { kind: 'binary', share: 0.006, size: (r) => r.logNormal(20_000, 1.0, 1_000, 300_000) },
  { kind: 'ignored', share: 0.006, size: (r) => r.logNormal(30_000, 1.0, 1_000, 400_000) },
];

/** Folders each kind of file lives in; `*` is a package name, `~` a nested folder chain. */
const PLACES: Record<FileKind, { dirs: string[]; ext: string | string[] }> = {
  ts: { dirs: ['packages/*/src/~', 'packages/*/src/~', 'src/~', 'src/~', 'apps/web/src/~'], ext: ['ts', 'ts', 'ts', 'tsx'] },
  js: { dirs: ['lib/~', 'packages/*/lib', 'scripts', 'config'], ext: ['js', 'js', 'mjs', 'cjs'] },
  'ts-test': { dirs: ['test/~', 'packages/*/test', 'src/~/__tests__'], ext: ['test.ts', 'spec.ts'] },
  python: { dirs: ['services/*/app/~', 'tools/py/*', 'scripts'], ext: 'py' },
  go: { dirs: ['cmd/*', 'internal/~', 'pkg/*'], ext: 'go' },
  'json-config': { dirs: ['config', 'packages/*', 'apps/web', 'config/~', 'locales'], ext: 'json' },
  yaml: { dirs: ['config', 'deploy/k8s', 'deploy/helm/*/templates', 'docker', 'config/~'], ext: ['yaml', 'yml'] },
  env: { dirs: ['.', 'config', 'services/*', 'packages/*', 'apps/web', 'deploy'], ext: 'env' },
  markdown: { dirs: ['docs', 'docs/~', 'docs/~', 'packages/*/docs'], ext: 'md' },
  css: { dirs: ['apps/web/src/styles', 'packages/*/src/styles', 'public/css'], ext: 'css' },
  lockfile: { dirs: ['.', 'packages/*', 'apps/web'], ext: 'json' },
  minified: { dirs: ['public/assets', 'public/vendor', 'packages/*/vendor'], ext: 'min.js' },
  generated: { dirs: ['src/generated', 'packages/*/src/generated', 'data', 'public/assets'], ext: 'ts' },
  shell: { dirs: ['scripts', 'deploy', 'tools'], ext: 'sh' },
  workflow: { dirs: ['.github/workflows'], ext: 'yml' },
  npmrc: { dirs: ['.', 'packages/*'], ext: 'npmrc' },
  pem: { dirs: ['config/keys', 'deploy/certs'], ext: ['pem', 'key'] },
  'service-account': { dirs: ['config', 'deploy'], ext: 'json' },
  misc: { dirs: ['.', 'docker', 'deploy', 'services/*', 'packages/*', 'apps/web'], ext: '' },
  gitignore: { dirs: ['.'], ext: '' },
  binary: { dirs: ['public/images', 'apps/web/public', 'docs/img', 'public/fonts'], ext: ['png', 'jpg', 'woff2', 'ico'] },
  ignored: { dirs: ['tmp/cache', 'logs', 'coverage', 'node_modules/*'], ext: '' },
};

const SUBDIRS = (
  'api services models utils components hooks routes handlers middleware store lib core db adapters jobs workers ' +
  'controllers views pages features shared common auth billing admin internal helpers types'
).split(' ');

function planTree(rng: Rng, targetBytes: number, minFiles: number): PlannedFile[] {
  const packageCount = Math.max(2, Math.min(40, Math.round(targetBytes / (8 * 1024 * 1024))));
  const packages = new Set<string>();
  while (packages.size < packageCount) packages.add(rng.chance(0.5) ? rng.pick(NOUNS) : kebab([rng.pick(NOUNS), rng.pick(['core', 'client', 'server', 'utils', 'sdk', 'ui', 'api'])]));
  const packageNames = [...packages];
  const nestedPools = new Map<string, string[]>();
  const used = new Set<string>();
  const files: PlannedFile[] = [];

  const expandDir = (pattern: string): string => {
    let dir = pattern.replace(/\*/g, () => rng.pick(packageNames));
    if (dir.includes('~')) {
      // A few folder chains per prefix, reused, so folders hold several files each as real ones do.
      const prefix = dir.slice(0, dir.indexOf('~'));
      let pool = nestedPools.get(prefix);
      if (!pool) {
        pool = [];
        const count = rng.range(4, 12);
        for (let i = 0; i < count; i++) {
          const depth = rng.range(0, 3);
          const chain: string[] = [];
          for (let d = 0; d < depth; d++) chain.push(rng.chance(0.6) ? rng.pick(SUBDIRS) : rng.pick(NOUNS));
          pool.push(chain.join('/'));
        }
        nestedPools.set(prefix, pool);
      }
      dir = dir.replace('~', rng.pick(pool)).replace(/\/+/g, '/').replace(/\/$/, '');
    }
    return dir === '.' ? '' : dir;
  };

  /** `at` fixes the folder ('' for the root); otherwise one of the kind's places. */
  const add = (kind: FileKind, size: number, name?: string, at?: string): PlannedFile => {
    const place = PLACES[kind];
    let path = '';
    for (let attempt = 0; ; attempt++) {
      const dir = at ?? expandDir(rng.pick(place.dirs));
      const ext = typeof place.ext === 'string' ? place.ext : rng.pick(place.ext);
      const base = name ?? fileName(rng, kind, ext);
      path = dir ? `${dir}/${base}` : base;
      if (attempt > 20) path = dir ? `${dir}/${withSuffix(base, attempt)}` : withSuffix(base, attempt);
      if (!used.has(path)) break;
    }
    used.add(path);
    const skippable = kind === 'binary' || kind === 'ignored';
    const file: PlannedFile = { path, kind, size, credentials: [], skippable };
    files.push(file);
    return file;
  };

  add('gitignore', 200, '.gitignore', '');
  add('markdown', rng.logNormal(8_000, 0.4, 3_000, 20_000), 'README.md', '');
  add('json-config', 1_200, 'package.json', '');
  add('lockfile', rng.logUniform(1_000_000, 3_000_000), 'package-lock.json', '');
  for (const name of packageNames) add('markdown', rng.logNormal(3_000, 0.6, 500, 20_000), 'README.md', `packages/${name}`);
  for (const { kind, share, size } of BUDGET) {
    // Every kind appears at least once; the fixed files above count towards their kind's share.
    let remaining = share * targetBytes - files.reduce((sum, file) => sum + (file.kind === kind ? file.size : 0), 0);
    let count = 0;
    while (remaining > 0 || (count === 0 && !files.some((file) => file.kind === kind))) {
      const bytes = size(rng);
      add(kind, bytes);
      remaining -= bytes;
      count++;
    }
  }
  // A handful of credential-shaped files: .npmrc, key files, a service-account JSON.
  add('npmrc', 120, '.npmrc', '');
  for (let i = Math.max(1, Math.round(targetBytes / (64 * 1024 * 1024))); i > 0; i--) {
    add('pem', 1_700);
    add('service-account', 2_400);
    add('npmrc', 120, '.npmrc');
  }
  // Top up with TypeScript so the tree is at least the target size (and file count).
  let planned = files.reduce((sum, file) => sum + file.size, 0);
  while (planned < targetBytes || files.length < minFiles) {
    const file = add('ts', rng.logNormal(5_000, 0.9, 300, 60_000));
    planned += file.size;
  }
  return files;
}

/** `name-N.ext`, or `.name-N.ext` for dotfiles: a last resort when a fixed name is taken everywhere. */
function withSuffix(base: string, n: number): string {
  const dot = base.indexOf('.', 1);
  return dot < 0 ? `${base}-${n}` : `${base.slice(0, dot)}-${n}${base.slice(dot)}`;
}

function fileName(rng: Rng, kind: FileKind, ext: string): string {
  const base = (words: number) => {
    const parts: string[] = [];
    for (let i = 0; i < words; i++) parts.push(rng.chance(0.3) ? rng.pick(VERBS) : rng.pick(NOUNS));
    return parts;
  };
  switch (kind) {
    case 'ts':
    case 'ts-test':
      return ext === 'tsx' ? `${base(2).map(pascal).join('')}.tsx` : `${camel(base(rng.range(1, 2)))}.${ext}`;
    case 'python':
    case 'go':
      return `${snake(base(rng.range(1, 2)))}.${ext}`;
    case 'env':
      return rng.pick(['.env', '.env.development', '.env.staging', '.env.production', '.env.example', `${rng.pick(NOUNS)}.env`]);
    case 'lockfile':
      return rng.pick(['package-lock.json', 'package-lock.json', 'yarn.lock', 'go.sum']);
    case 'minified':
      return `${rng.pick(['app', 'vendor', 'main', 'chunk', 'runtime', 'polyfills', rng.pick(NOUNS)])}.${rng.chars(HEX, 8)}.min.js`;
    case 'generated':
      return rng.pick(['graphql.ts', 'api-types.ts', `${rng.pick(NOUNS)}_pb.js`, 'seed-data.json', `app.${rng.chars(HEX, 8)}.min.js.map`]);
    case 'misc':
      return rng.pick(['Dockerfile', 'Makefile', 'LICENSE', '.editorconfig', '.dockerignore', 'Procfile', 'CODEOWNERS']);
    case 'npmrc':
      return '.npmrc';
    case 'service-account':
      return `${rng.pick(NOUNS)}-service-account.json`;
    case 'ignored':
      return rng.pick([`${rng.pick(NOUNS)}.log`, `${rng.chars(HEX, 12)}.json`, 'index.js', 'lcov.info']);
    default:
      return `${kebab(base(rng.range(1, 2)))}${ext ? `.${ext}` : ''}`;
  }
}

function assignSecrets(rng: Rng, files: PlannedFile[], count: number, maker: CredentialMaker): void {
  const byKind = new Map<FileKind, PlannedFile[]>();
  for (const file of files) {
    if (file.skippable || !HOSTS[file.kind]) continue;
    let list = byKind.get(file.kind);
    if (!list) byKind.set(file.kind, (list = []));
    list.push(file);
  }
  const hostWeights = [...byKind.keys()].map((kind) => [kind, HOSTS[kind]!.weight] as const);
  if (hostWeights.length === 0) return;
  let planted = 0;
  while (planted < count) {
    const host = rng.weighted(hostWeights);
    const spec = HOSTS[host]!;
    const allowed = CREDENTIAL_WEIGHTS.filter(([type]) => (spec.types === 'all' || spec.types.includes(type)) && !(type === 'aws' && count - planted < 2));
    if (allowed.length === 0) continue;
    const credential = maker.make(rng.weighted(allowed));
    // Most files get one secret; a few get several, as real leaks cluster in .env and config files.
    // A service-account JSON holds exactly one key.
    const candidates = byKind.get(host)!;
    const full = (file: PlannedFile) => file.credentials.length >= (host === 'env' ? 4 : host === 'service-account' ? 1 : 2);
    let file = rng.pick(candidates);
    for (let attempt = 0; attempt < 5 && full(file); attempt++) file = rng.pick(candidates);
    if (host === 'service-account' && full(file)) continue;
    file.credentials.push(credential);
    planted += credential.values.length;
  }
}

// ─── Content generators ──────────────────────────────────────────────────────────────────────────

type Generator = (out: FileOut, ctx: FileContext, size: number) => void;

/**
 * TypeScript statements as real code has them. The ones that name credentials hold references, calls,
 * empty strings or documentation values: keyword hits that keep the generic rules busy without a secret.
 */
function tsStatement(ctx: FileContext, typed: boolean): string {
  return ctx.rng.chance(CREDENTIAL_MENTION) ? credentialStatement(ctx) : plainStatement(ctx, typed);
}

function credentialStatement(ctx: FileContext): string {
  const r = ctx.rng;
  const n = ctx.noun();
  switch (r.int(20)) {
    case 0:
      return `const token = await getToken(${n});`;
    case 1:
      return "const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };";
    case 2:
      return `const apiKey = process.env.${ctx.ENV()} ?? '';`;
    case 3:
      return `if (!options.password) throw new ValidationError('password is required');`;
    case 4:
      return `const passwordHash = await bcrypt.hash(input.password, ${r.range(10, 12)});`;
    case 5:
      return `logger.debug('refreshing access token for %s', ${n}.id);`;
    case 6:
      return `const secret = config.get('${n}.secret');`;
    case 7:
      return `const rows = await db.query('SELECT id, email, password_hash FROM ${n}s WHERE id = $1', [id]);`;
    case 8:
      return `const sessionToken = crypto.randomBytes(32).toString('hex');`;
    case 9:
      return `res.cookie('refresh_token', refreshToken, { httpOnly: true, secure: true, sameSite: 'strict' });`;
    case 10:
      return `localStorage.setItem('accessToken', token);`;
    case 11:
      return `const password = ${r.pick(['"changeme"', "''", 'await prompt.password()', 'req.body.password', 'String(form.get("password"))'])};`;
    case 12:
      return `const clientSecret = ${r.pick(['process.env.CLIENT_SECRET!', 'config.oauth.clientSecret', 'await vault.read("oauth/client_secret")', "''"])};`;
    case 13:
      return `const isValid = await verifySignature(payload, signature, webhookSecret);`;
    case 14:
      return `assert(typeof ${n}.token === 'string', 'expected a ${n} token');`;
    case 15:
      return `const apiToken = req.headers['x-api-token'] ?? req.query.token;`;
    case 16:
      return `const signed = jwt.sign({ sub: ${n}.id, scope: '${n}:read' }, secret, { expiresIn: '${r.range(5, 60)}m' });`;
    case 17:
      return `const url = new URL(\`/oauth/token?grant_type=client_credentials&client_id=\${clientId}\`, baseUrl);`;
    case 18:
      return `const key = \`${n}:\${${ctx.ident()}.id}\`;`;
    default:
      // High-entropy values that are not secrets: hashes, ids, build metadata.
      return r.pick([
        `const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';`,
        `const ${n}Id = '${ctx.uuid()}';`,
        `const commit = '${r.chars(HEX, 40)}';`,
        `const cacheKey = '${n}:${r.chars(HEX, 16)}';`,
      ]);
  }
}

function plainStatement(ctx: FileContext, typed: boolean): string {
  const r = ctx.rng;
  const n = ctx.noun();
  switch (r.int(22)) {
    case 0:
      return `this.cache.set(\`${n}:\${id}\`, value, { ttl: ${r.range(1, 60)}_000 });`;
    case 1:
      return `const { data } = await http.get(\`/api/v${r.range(1, 3)}/${n}s/\${id}\`, { params: { limit: ${r.pick([20, 50, 100])} } });`;
    case 2:
      return `for (const item of items) total += item.amount * item.quantity;`;
    case 3:
      return `const result = items.filter((item) => item.${ctx.ident()} !== undefined).map((item) => item.${ctx.ident()});`;
    case 4:
      return `if (Date.now() > ${n}.expiresAt) await this.${ctx.fn()}(${n});`;
    case 5:
      return `const ${ctx.ident()}${typed ? `: ${ctx.Type()}` : ''} = await this.${ctx.noun()}Repository.findOne({ where: { id } });`;
    case 6:
      return `emitter.emit('${n}:${ctx.verb()}', { id: ${n}.id, at: new Date().toISOString() });`;
    case 7:
      return `const ${ctx.ident()} = Object.fromEntries(Object.entries(${ctx.ident()}).filter(([, value]) => value != null));`;
    case 8:
      return `metrics.increment('${n}.${ctx.verb()}', { status: String(response.status) });`;
    case 9:
      return `const timeoutMs = Number(process.env.${ctx.ENV()} ?? ${r.range(1, 60) * 1000});`;
    case 10:
      return `return { ...${n}, updatedAt: new Date(), version: ${n}.version + 1 };`;
    case 11:
      return `await queue.add('${ctx.fn()}', { ${n}Id: ${n}.id }, { attempts: ${r.range(1, 8)}, backoff: { type: 'exponential', delay: 1000 } });`;
    case 12:
      return `throw new ${ctx.Noun()}Error(\`could not ${ctx.verb()} ${n} \${id}: \${error.message}\`);`;
    case 13:
      return `const start = performance.now();`;
    case 14:
      return `if (${n}s.length === 0) return [];`;
    case 15:
      return `const page = Math.max(1, Number(query.page ?? 1));`;
    case 16:
      return `await Promise.all(ids.map((id) => this.${ctx.fn()}(id)));`;
    case 17:
      return `const total = ${n}s.reduce((sum, ${n}) => sum + ${n}.amount, 0);`;
    case 18:
      return `const sorted = [...${n}s].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());`;
    case 19:
      return `return res.status(${r.pick([200, 201, 204, 400, 404, 409])}).json({ ok: ${r.pick(['true', 'false'])}, ${n} });`;
    case 20:
      return `const { id, ...${ctx.ident()} } = ${n};`;
    default:
      return `${ctx.ident()}.${ctx.ident()} = ${r.pick(['true', 'false', 'null', '0', `'${ctx.noun()}'`, `${ctx.fn()}(${n})`])};`;
  }
}

function tsBlock(ctx: FileContext, typed: boolean, test: boolean): string {
  const r = ctx.rng;
  const N = ctx.Noun();
  const n = N.toLowerCase();
  const statements = (count: number, indent: string) => {
    const lines: string[] = [];
    for (let i = 0; i < count; i++) lines.push(indent + tsStatement(ctx, typed));
    return lines.join('\n');
  };
  if (test) {
    const cases: string[] = [];
    for (let i = r.range(2, 5); i > 0; i--) {
      cases.push(
        `  it('${ctx.verb()}s the ${n} ${ctx.mention(r.pick(['when the token is expired', 'with a wrong password', 'without an api key']), r.pick(['for a new member', 'on retry', 'when the cache is cold', 'after a timeout', 'with an empty list']))}', async () => {\n` +
          `    const ${n} = build${N}({ ${ctx.mention(`${r.pick(['password', 'token', 'apiKey', 'secret'])}: ${r.pick(["'hunter2'", "'test-token'", "'not-a-real-key'", "'s3cr3t'", "''", 'undefined'])}`, `${ctx.ident()}: ${r.pick(["'a'", '42', 'null', '[]', 'new Date(0)'])}`)} });\n` +
          `${statements(r.range(1, 4), '    ')}\n` +
          `    expect(${ctx.fn()}(${n})).${r.pick(['toBe(true)', 'toEqual({ ok: true })', "rejects.toThrow('not found')", 'toHaveLength(3)', 'toMatchSnapshot()'])};\n  });`,
      );
    }
    return `\ndescribe('${ctx.fn()}', () => {\n${cases.join('\n\n')}\n});\n`;
  }
  switch (r.int(6)) {
    case 0:
    case 1: {
      const param = ctx.noun();
      const signature = typed ? `${param}: ${ctx.Type()}, options: ${N}Options = {}): Promise<${ctx.Type()}>` : `${param}, options = {})`;
      return `\n/**\n * ${ctx.sentence()}\n */\nexport async function ${ctx.fn()}(${signature} {\n${statements(r.range(3, 12), '  ')}\n  return ${param};\n}\n`;
    }
    case 2: {
      const credentials = [
        `  apiKey: process.env.${upper([n, 'api', 'key'])}`,
        '  token: getToken()',
        `  password: ${r.pick(['"changeme"', "process.env.DB_PASSWORD ?? ''", "''", 'secrets.dbPassword'])}`,
        "  secret: options.secret ?? ''",
        '  authToken: req.headers.authorization',
        `  clientSecret: env.${upper([n, 'client', 'secret'])}`,
      ];
      const keys = [
        `  baseUrl: process.env.${ctx.ENV()} ?? 'http://localhost:${r.range(3000, 9000)}'`,
        ctx.mention(r.pick(credentials), `  ${ctx.ident()}: ${r.pick(['null', 'undefined', '[]', `'${ctx.noun()}'`])}`),
        `  timeoutMs: ${r.range(1, 60)}_000`,
        `  retries: ${r.range(0, 5)}`,
        `  region: '${r.pick(['us-east-1', 'eu-west-1', 'eu-central-1'])}'`,
        `  enabled: ${r.pick(['true', 'false'])}`,
        `  ${ctx.ident()}: ${ctx.fn()}(${n})`,
      ].filter(() => r.chance(0.6));
      return `\nexport const ${n}Config${typed ? `: ${N}Config` : ''} = {\n${keys.join(',\n')},\n};\n`;
    }
    case 3: {
      if (!typed) return `\nmodule.exports.${ctx.fn()} = function (${n}, options) {\n${statements(r.range(2, 6), '  ')}\n};\n`;
      const fields = [
        '  id: string;',
        `  ${ctx.ident()}: ${r.pick(['string', 'number', 'boolean', 'Date', `${ctx.Type()}[]`])};`,
        ctx.mention(r.pick(['  token?: string;', '  passwordHash: string;', '  apiKeyPrefix: string;']), `  ${ctx.ident()}Count: number;`),
        `  ${ctx.ident()}?: ${ctx.Type()} | null;`,
        '  createdAt: Date;',
      ].filter(() => r.chance(0.6));
      return `\nexport interface ${ctx.Type()} {\n${fields.join('\n')}\n}\n`;
    }
    default: {
      const methods: string[] = [];
      for (let i = r.range(2, 5); i > 0; i--) {
        methods.push(`  ${typed ? r.pick(['', 'private ', 'async ', 'public async ']) : ''}${ctx.fn()}(${ctx.noun()}${typed ? `: ${ctx.Type()}` : ''}) {\n${statements(r.range(2, 7), '    ')}\n  }`);
      }
      const ctor = typed ? `  constructor(private readonly ${n}Repository: ${N}Repository, private readonly ${ctx.mention('tokenService: TokenService', 'logger: Logger')}) {}\n\n` : '';
      return `\nexport class ${N}${r.pick(['Service', 'Controller', 'Client', 'Store', 'Manager'])} {\n${ctor}${methods.join('\n\n')}\n}\n`;
    }
  }
}

function tsHeader(ctx: FileContext, typed: boolean): string {
  const r = ctx.rng;
  const lines: string[] = [];
  for (let i = r.range(2, 8); i > 0; i--) {
    if (r.chance(0.4)) lines.push(typed || r.chance(0.5) ? `import ${r.chance(0.5) ? `{ ${ctx.fn()}, ${ctx.Type()} }` : camel([r.pick(NPM_PACKAGES).replace(/[^a-z]/g, '')])} from '${r.pick(NPM_PACKAGES)}';` : `const ${ctx.noun()} = require('${r.pick(NPM_PACKAGES)}');`);
    else lines.push(`import { ${ctx.fn()}, ${ctx.fn()} } from '${r.pick(['.', '..', '../..'])}/${ctx.noun()}/${ctx.noun()}.js';`);
  }
  return lines.join('\n') + '\n';
}

const generateTs = (typed: boolean, test: boolean): Generator => (out, ctx, size) => {
  if (test) out.write("import { describe, expect, it } from 'vitest';\n");
  out.write(tsHeader(ctx, typed));
  fillBlocks(out, ctx, size, () => out.write(tsBlock(ctx, typed, test)), (credential) => plantJs(out, ctx, credential));
};

function generatePython(out: FileOut, ctx: FileContext, size: number): void {
  const r = ctx.rng;
  out.write(`"""${ctx.sentence()}"""\n\nfrom __future__ import annotations\n\nimport logging\nimport os\n`);
  for (let i = r.range(1, 5); i > 0; i--) out.write(`from ${r.pick(['app', 'core', 'services', '.'])}.${ctx.noun()} import ${ctx.Noun()}, ${snake([ctx.verb(), ctx.noun()])}\n`);
  out.write('\nlogger = logging.getLogger(__name__)\n');
  const statement = () => {
    const n = ctx.noun();
    const credential = () =>
      r.pick([
        `token = os.environ.get("${ctx.ENV()}")`,
        `api_key = settings.${upper([n, 'api', 'key'])}`,
        `password = getpass.getpass("Password for ${n}: ")`,
        `headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}`,
        `secret = os.environ["${upper([n, 'secret'])}"]`,
        `${n}.password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())`,
        `session_token = secrets.token_urlsafe(32)`,
      ]);
    if (r.chance(CREDENTIAL_MENTION)) return credential();
    return r.pick([
      `logger.info("${ctx.verb()} %s for %s", ${n}.id, user.email)`,
      `response = requests.get(f"{base_url}/api/v1/${n}s/{${n}_id}", headers=headers, timeout=${r.range(5, 60)})`,
      `response.raise_for_status()`,
      `data = response.json()["data"]`,
      `if not ${n}:\n        raise ${ctx.Noun()}NotFound(${n}_id)`,
      `for item in items:\n        total += item.amount * item.quantity`,
      `cache.set(f"${n}:{${n}.id}", ${n}, timeout=${r.range(60, 3600)})`,
      `${n}s = sorted(${n}s, key=lambda x: x.created_at)`,
      `result = [x for x in ${n}s if x.${ctx.noun()} is not None]`,
      `return ${n}`,
    ]);
  };
  const block = () => {
    if (r.chance(0.6)) {
      const lines: string[] = [];
      for (let i = r.range(3, 10); i > 0; i--) lines.push(`    ${statement()}`);
      out.write(`\n\ndef ${snake([ctx.verb(), ctx.noun()])}(${ctx.noun()}: ${ctx.Noun()}, *, ${ctx.mention('token: str | None = None', 'timeout: float = 10.0')}) -> ${ctx.Noun()}:\n    """${ctx.sentence()}"""\n${lines.join('\n')}\n`);
    } else {
      const methods: string[] = [];
      for (let i = r.range(2, 4); i > 0; i--) {
        const lines: string[] = [];
        for (let j = r.range(2, 6); j > 0; j--) lines.push(`        ${statement().replace(/\n {4}/g, '\n        ')}`);
        methods.push(`    def ${snake([ctx.verb(), ctx.noun()])}(self, ${ctx.noun()}):\n${lines.join('\n')}`);
      }
      out.write(
        `\n\nclass ${ctx.Noun()}${r.pick(['Service', 'Client', 'Repository', 'Handler'])}:\n    """${ctx.sentence()}"""\n\n${ctx.mention('    def __init__(self, api_key: str = os.getenv("API_KEY", ""), password: str | None = None):\n        self.api_key = api_key\n        self.password = password\n\n', '    def __init__(self, client: HttpClient, timeout: float = 10.0):\n        self.client = client\n        self.timeout = timeout\n\n')}${methods.join('\n\n')}\n`,
      );
    }
  };
  fillBlocks(out, ctx, size, block, (credential) => plantPython(out, ctx, credential));
}

function generateGo(out: FileOut, ctx: FileContext, size: number): void {
  const r = ctx.rng;
  out.write(`// Package ${ctx.noun()} ${ctx.sentence().toLowerCase()}\npackage ${ctx.noun()}\n\nimport (\n\t"context"\n\t"encoding/json"\n\t"fmt"\n\t"net/http"\n\t"os"\n\t"time"\n)\n`);
  const block = () => {
    const N = ctx.Noun();
    const n = N.toLowerCase();
    if (r.chance(0.35)) {
      out.write(
        `\n// ${N} ${ctx.sentence().toLowerCase()}\ntype ${N} struct {\n\tID        string    \`json:"id"\`\n${ctx.mention('\tToken     string    `json:"token,omitempty"`\n\tPassword  string    `json:"-"`\n', '\tName      string    `json:"name"`\n')}\tStatus    string    \`json:"status"\`\n\t${ctx.Noun()}    ${r.pick(['string', 'int64', 'bool', '[]string'])} \`json:"${ctx.noun()}"\`\n\tCreatedAt time.Time \`json:"created_at"\`\n}\n`,
      );
      return;
    }
    const lines: string[] = [];
    for (let i = r.range(3, 9); i > 0; i--) {
      lines.push(
        ctx.mention(
          r.pick([`\ttoken := os.Getenv("${ctx.ENV()}")`, '\treq.Header.Set("Authorization", "Bearer "+token)', '\tpassword := os.Getenv("DB_PASSWORD")', `\tsecret := cfg.${N}.Secret`]),
          r.pick([
          `\tif err != nil {\n\t\treturn nil, fmt.Errorf("${ctx.verb()} ${n}: %w", err)\n\t}`,
          `\tctx, cancel := context.WithTimeout(ctx, ${r.range(1, 30)}*time.Second)\n\tdefer cancel()`,
          `\tif err := json.NewDecoder(resp.Body).Decode(&${n}); err != nil {\n\t\treturn nil, err\n\t}`,
          `\tlog.Printf("${ctx.verb()} %s", ${n}.ID)`,
          `\tfor _, item := range items {\n\t\ttotal += item.Amount\n\t}`,
          `\treq.Header.Set("Accept", "application/json")`,
          ]),
        ),
      );
    }
    out.write(`\n// ${pascal(ctx.verb())}${N} ${ctx.sentence().toLowerCase()}\nfunc (s *Service) ${pascal(ctx.verb())}${N}(ctx context.Context, req *http.Request) (*${N}, error) {\n\tvar ${n} ${N}\n${lines.join('\n')}\n\treturn &${n}, nil\n}\n`);
  };
  fillBlocks(out, ctx, size, block, (credential) => plantGo(out, ctx, credential));
}

/** Names that say "credential": config values under them are references or blanks, never literals. */
const CREDENTIAL_NAME = /token|secret|password|key|credential|auth/i;

/** A JSON value that fits its member name, as hand-written config has: ids hold UUIDs, TTLs numbers. */
function jsonValue(ctx: FileContext, depth: number, name: string): string {
  const r = ctx.rng;
  if (depth > 0 && r.chance(0.35)) {
    const members: string[] = [];
    const indent = '  '.repeat(4 - depth);
    for (let i = r.range(2, 6); i > 0; i--) {
      const member = camel([ctx.noun(), ctx.mention(r.chance(0.05) ? r.pick(['tokenId', 'secretId']) : r.pick(['token', 'secret', 'password']), r.pick(['', 'id', 'url', 'ttl', 'name', 'enabled', 'key']))].filter(Boolean));
      members.push(`${indent}  "${member}": ${jsonValue(ctx, depth - 1, member)}`);
    }
    return `{\n${members.join(',\n')}\n${indent}}`;
  }
  if (/Id$/.test(name)) return `"${ctx.uuid()}"`;
  if (/Url$/.test(name)) return `"https://${ctx.noun()}.acme.io/api"`;
  if (/Ttl$/.test(name)) return String(r.range(60, 86_400));
  if (/Name$/.test(name)) return `"${ctx.noun()}-${ctx.noun()}"`;
  if (/Enabled$/.test(name)) return r.pick(['true', 'false']);
  if (CREDENTIAL_NAME.test(name)) return r.pick(['""', 'null', `"\${${ctx.ENV()}}"`, `"vault:secret/data/${ctx.noun()}#${ctx.noun()}"`]);
  return r.pick([
    String(r.range(0, 10_000)),
    'true',
    'false',
    'null',
    `"${ctx.noun()}"`,
    `"\${${ctx.ENV()}}"`,
    '""',
    `"${ctx.sentence(3, 8)}"`,
    `["${ctx.noun()}", "${ctx.noun()}"]`,
  ]);
}

function generateJsonConfig(out: FileOut, ctx: FileContext, size: number): void {
  const r = ctx.rng;
  out.write(`{\n  "name": "@acme/${ctx.noun()}",\n  "version": "${ctx.version()}"`);
  fillBlocks(
    out,
    ctx,
    size,
    () => {
      out.write(',\n');
      const member = camel([ctx.noun(), r.pick(['', 'settings', 'options', 'auth', 'client'])].filter(Boolean));
      out.write(`  "${member}": ${jsonValue(ctx, 3, member)}`);
    },
    (credential) => {
      out.write(',\n');
      plantJson(out, ctx, credential);
    },
  );
  out.write('\n}\n');
}

function generateYaml(out: FileOut, ctx: FileContext, size: number): void {
  const r = ctx.rng;
  const block = () => {
    const n = ctx.noun();
    switch (r.int(4)) {
      case 0:
        out.write(
          `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${n}-${ctx.noun()}\n  labels:\n    app: ${n}\nspec:\n  replicas: ${r.range(1, 6)}\n  template:\n    spec:\n      containers:\n        - name: ${n}\n          image: ghcr.io/acme/${n}:${ctx.version()}\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: ${n}-db\n                  key: password\n            - name: API_TOKEN\n              valueFrom:\n                secretKeyRef: { name: ${n}-api, key: token }\n            - name: LOG_LEVEL\n              value: ${r.pick(['info', 'debug', 'warn'])}\n`,
        );
        return;
      case 1:
        out.write(
          `${n}:\n  image: ${n}:${ctx.version()}\n  environment:\n    POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}\n    API_KEY: \${${upper([n, 'api', 'key'])}}\n    SECRET_KEY_BASE: \${SECRET_KEY_BASE:?set it in .env}\n  ports:\n    - "${r.range(3000, 9000)}:${r.range(3000, 9000)}"\n`,
        );
        return;
      case 2:
        out.write(`${n}:\n  enabled: ${r.pick(['true', 'false'])}\n  token_ttl: ${r.range(60, 86400)}\n  password_min_length: ${r.range(8, 16)}\n  secret: ""\n  endpoint: https://${n}.acme.io/v${r.range(1, 3)}\n  description: ${ctx.sentence(4, 10)}\n`);
        return;
      default:
        out.write(`# ${ctx.sentence()}\n${n}_${r.pick(['url', 'timeout', 'region', 'bucket', 'queue'])}: ${r.pick([`${ctx.noun()}-${r.range(1, 99)}`, String(r.range(1, 1000)), `"\${${ctx.ENV()}}"`])}\n`);
    }
  };
  fillBlocks(out, ctx, size, block, (credential) => plantYaml(out, ctx, credential));
}

function generateEnv(out: FileOut, ctx: FileContext, size: number): void {
  const r = ctx.rng;
  out.write(`# ${ctx.sentence(4, 9)}\n`);
  const line = () =>
    out.write(
      r.pick([
        `PORT=${r.range(3000, 9000)}`,
        `LOG_LEVEL=${r.pick(['debug', 'info', 'warn'])}`,
        `NODE_ENV=${r.pick(['development', 'production', 'test'])}`,
        `DATABASE_URL=postgres://localhost:5432/${ctx.noun()}_dev`,
        `${ctx.ENV()}=`,
        'JWT_SECRET=changeme',
        `API_KEY=\${${upper([ctx.noun(), 'api', 'key'])}}`,
        `${upper([ctx.noun(), 'url'])}=http://localhost:${r.range(3000, 9000)}`,
        `FEATURE_${upper([ctx.noun()])}=${r.pick(['true', 'false'])}`,
        `# ${ctx.sentence(3, 8)}`,
      ]) + '\n',
    );
  fillBlocks(out, ctx, size, line, (credential) => plantEnv(out, ctx, credential));
}

function generateMarkdown(out: FileOut, ctx: FileContext, size: number): void {
  const r = ctx.rng;
  out.write(`# ${pascal(ctx.noun())} ${ctx.noun()}\n\n${ctx.sentence(10, 25)}\n`);
  const block = () => {
    switch (r.int(6)) {
      case 0:
        out.write(`\n## ${pascal(ctx.verb())} the ${ctx.noun()}\n\n`);
        return;
      case 1: {
        const items: string[] = [];
        for (let i = r.range(2, 6); i > 0; i--) items.push(`- \`${ctx.fn()}()\` ${ctx.sentence(4, 12).toLowerCase()}`);
        out.write(`\n${items.join('\n')}\n`);
        return;
      }
      case 2: {
        const env = upper([ctx.noun(), 'api', 'token']);
        out.write(
          r.chance(0.2)
            ? `\n\`\`\`bash\nexport ${env}=<your-token>\ncurl -H "Authorization: Bearer $${env}" https://api.acme.io/v1/${ctx.noun()}s\n\`\`\`\n`
            : `\n\`\`\`bash\nnpm install @acme/${ctx.noun()}\nnpx acme ${ctx.verb()} --${ctx.noun()} ${ctx.noun()}\n\`\`\`\n`,
        );
        return;
      }
      case 3:
        out.write(`\n| Option | Default | Description |\n| --- | --- | --- |\n| \`${ctx.ident()}\` | \`${r.pick(['true', 'null', '30s', '""'])}\` | ${ctx.sentence(4, 10)} |\n| \`${ctx.ident()}\` | — | ${ctx.sentence(4, 10)} |\n`);
        return;
      default:
        // A little non-ASCII, as real documentation has.
        out.write(`\n${ctx.sentence(15, 40)} ${ctx.sentence(10, 30)}${r.chance(0.1) ? ' Voilà — café ✓.' : ''}\n`);
    }
  };
  fillBlocks(out, ctx, size, block, (credential) => plantMarkdown(out, ctx, credential));
}

function generateCss(out: FileOut, ctx: FileContext, size: number): void {
  const r = ctx.rng;
  const minified = size > 50_000;
  const nl = minified ? '' : '\n';
  const sp = minified ? '' : '  ';
  const block = () => {
    const cls = `.${ctx.noun()}${r.chance(0.5) ? `__${ctx.noun()}` : ''}${r.chance(0.3) ? `--${r.pick(ADJECTIVES)}` : ''}`;
    const props: string[] = [];
    for (let i = r.range(2, 7); i > 0; i--) {
      props.push(
        r.pick([
          `display:${minified ? '' : ' '}${r.pick(['flex', 'grid', 'block', 'none', 'inline-flex'])}`,
          `color:${minified ? '' : ' '}#${r.chars(HEX, 6)}`,
          `margin:${minified ? '' : ' '}${r.range(0, 32)}px ${r.pick(['auto', '0', '8px'])}`,
          `padding:${minified ? '' : ' '}${r.range(0, 24)}px`,
          `font-size:${minified ? '' : ' '}${(r.range(8, 30) / 10).toFixed(1)}rem`,
          `border:${minified ? '' : ' '}1px solid rgba(0,0,0,.${r.range(1, 9)})`,
          `transition:${minified ? '' : ' '}all .${r.range(1, 5)}s ease-in-out`,
        ]),
      );
    }
    if (r.chance(0.04)) props.push(`background-image:${minified ? '' : ' '}url("data:image/png;base64,${r.chars(BASE64, r.range(200, 2000))}")`);
    out.write(`${cls}${minified ? '' : ' '}{${nl}${props.map((p) => `${sp}${p};`).join(nl)}${nl}}${nl}${r.chance(0.05) ? `@media (max-width:${r.range(480, 1280)}px){${cls}{display:none}}${nl}` : ''}`);
  };
  fillBlocks(out, ctx, size, block, () => undefined);
  out.write('\n');
}

function integrity(r: Rng): string {
  return `sha512-${r.chars(BASE64, 86)}==`;
}

function generateLockfile(out: FileOut, ctx: FileContext, size: number): void {
  const r = ctx.rng;
  const name = ctx.file.path.split('/').pop()!;
  const packageName = () => (r.chance(0.2) ? `@${ctx.noun()}/${ctx.noun()}-${ctx.noun()}` : `${ctx.noun()}-${r.pick([ctx.noun(), ctx.verb(), 'js', 'utils', 'core'])}`);
  let counter = 0;
  if (name === 'go.sum') {
    fillBlocks(
      out,
      ctx,
      size,
      () => {
        const module = `github.com/${ctx.noun()}/${ctx.noun()}-${ctx.noun()}`;
        const version = `v${ctx.version()}`;
        out.write(`${module} ${version} h1:${r.chars(BASE64, 43)}=\n${module} ${version}/go.mod h1:${r.chars(BASE64, 43)}=\n`);
      },
      () => undefined,
    );
    return;
  }
  if (name === 'yarn.lock') {
    out.write('# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n');
    fillBlocks(
      out,
      ctx,
      size,
      () => {
        const pkg = packageName();
        const version = ctx.version();
        out.write(
          `\n"${pkg}@^${version}":\n  version "${version}"\n  resolved "https://registry.yarnpkg.com/${pkg}/-/${pkg.split('/').pop()}-${version}.tgz#${r.chars(HEX, 40)}"\n  integrity ${integrity(r)}\n  dependencies:\n    ${ctx.noun()} "^${ctx.version()}"\n`,
        );
      },
      () => undefined,
    );
    return;
  }
  out.write(`{\n  "name": "${ctx.noun()}",\n  "version": "${ctx.version()}",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n    "": {\n      "name": "${ctx.noun()}",\n      "dependencies": {\n        "express": "^4.21.2"\n      }\n    }`);
  fillBlocks(
    out,
    ctx,
    size,
    () => {
      const pkg = packageName();
      const version = ctx.version();
      const deps = r.chance(0.5) ? `,\n      "dependencies": {\n        "${ctx.noun()}": "^${ctx.version()}",\n        "${ctx.noun()}-${ctx.noun()}": "~${ctx.version()}"\n      }` : '';
      out.write(
        `,\n    "node_modules/${pkg}${counter++ % 7 === 0 ? `/node_modules/${ctx.noun()}` : ''}": {\n      "version": "${version}",\n      "resolved": "https://registry.npmjs.org/${pkg}/-/${pkg.split('/').pop()}-${version}.tgz",\n      "integrity": "${integrity(r)}",${r.chance(0.3) ? '\n      "dev": true,' : ''}\n      "license": "${r.pick(['MIT', 'MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause'])}"${deps}${r.chance(0.2) ? `,\n      "engines": {\n        "node": ">=${r.range(10, 18)}"\n      }` : ''}\n    }`,
      );
    },
    () => undefined,
  );
  out.write('\n  }\n}\n');
}

/** Minified JavaScript: short identifiers, no whitespace, the whole bundle on one line. */
function minifiedSegment(ctx: FileContext): string {
  const r = ctx.rng;
  const v = () => r.chars('abcdefghijklmnopqrstuvwxyz', r.chance(0.7) ? 1 : 2);
  const a = v();
  const b = v();
  const c = v();
  if (r.chance(CREDENTIAL_MENTION / 4)) {
    // Bundles carry the app's auth code too, diluted by framework and vendor code.
    return r.pick([
      `function ${v()}(${a},${b}){return ${a}.token?${b}(${a}.token):null}`,
      `${a}.headers={Authorization:"Bearer "+${b}.token,"Content-Type":"application/json"};`,
      `${a}.exports={apiKey:void 0,password:"",secret:null,${ctx.noun()}:${r.range(0, 99)}};`,
      `case ${r.range(0, 99)}:return ${a}.password||${a}.${ctx.noun()};`,
    ]);
  }
  switch (r.int(12)) {
    case 0:
      return `function ${v()}(${a},${b}){return ${a}.${ctx.noun()}?${b}(${a}.${ctx.noun()}):null}`;
    case 1:
      return `var ${a}=${b}(${r.range(1, 9999)}),${c}=${b}.n(${a});`;
    case 2:
      return `${a}.headers={Accept:"application/json","Content-Type":"application/json"};`;
    case 3:
      return `${a}.exports={${ctx.noun()}:void 0,${ctx.noun()}:"",${ctx.noun()}:null,${ctx.noun()}:${r.range(0, 99)}};`;
    case 4:
      return `${r.range(1, 99999)}:function(${a},${b},${c}){"use strict";${c}.d(${b},{${ctx.noun()}:function(){return ${v()}}});var ${v()}=${c}(${r.range(1, 99999)});`;
    case 5:
      return `${a}.prototype.${ctx.fn()}=function(${b}){var ${c}=this;return this.${ctx.noun()}.then(function(${v()}){return ${c}.${ctx.noun()}(${b})})};`;
    case 6:
      return `throw new Error("${ctx.sentence(3, 7)}");`;
    case 7:
      return `case ${r.range(0, 99)}:return ${a}.${ctx.noun()}||${a}.${ctx.noun()};`;
    case 8:
      return `${a}=${a}||{},${a}[${a}.${ctx.Noun()}=${r.range(0, 50)}]="${ctx.Noun()}",`;
    case 9:
      return `"${ctx.sentence(4, 14)}",`;
    case 10:
      return `${a}.${ctx.noun()}=function(){return "${r.chars(ALNUM, r.range(8, 24))}"===${b}.${ctx.noun()}};`;
    default:
      return r.chance(0.1) ? `${a}.src="data:image/svg+xml;base64,${r.chars(BASE64, r.range(100, 1500))}";` : `if(!${a}.${ctx.noun()})return ${b}.reject(new TypeError("invalid ${ctx.noun()}"));`;
  }
}

function generateMinified(out: FileOut, ctx: FileContext, size: number): void {
  out.write(`/*! ${ctx.noun()} v${ctx.version()} | (c) Acme | MIT License */\n!function(){"use strict";`);
  fillBlocks(out, ctx, size, () => out.write(minifiedSegment(ctx)), (credential) => plantMinified(out, ctx, credential));
  out.write(`}();\n//# sourceMappingURL=${ctx.file.path.split('/').pop()}.map\n`);
}

function generateGenerated(out: FileOut, ctx: FileContext, size: number): void {
  const r = ctx.rng;
  const name = ctx.file.path.split('/').pop()!;
  if (name.endsWith('.map')) {
    // A source map: one enormous JSON line of base64-VLQ mappings, then the sources' content.
    out.write(`{"version":3,"file":"${name.replace(/\.map$/, '')}","sources":["webpack://app/./src/index.ts"],"names":["token","password","apiKey"],"mappings":"`);
    const mappingsEnd = size * 0.6;
    while (out.size < mappingsEnd) out.write(`${r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', r.range(4, 8))}${r.pick([',', ',', ',', ';'])}`);
    out.write('AAAA","sourcesContent":["');
    while (out.size < size) out.write(`${tsStatement(ctx, true).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}\\n`);
    out.write('"]}\n');
    return;
  }
  if (name.endsWith('.json')) {
    out.write('[\n');
    let first = true;
    while (out.size < size) {
      if (!first) out.write(',\n');
      first = false;
      const n = ctx.noun();
      out.write(
        `  {"id": "${ctx.uuid()}", "email": "${n}.${ctx.noun()}@acme.io", ${r.chance(0.2) ? `"passwordHash": "$2b$12$${r.chars('./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 53)}", "apiKeyPrefix": "ak_${r.chars(ALNUM, 6)}", ` : ''}"role": "${r.pick(['admin', 'member', 'viewer'])}", "createdAt": "2025-${String(r.range(1, 12)).padStart(2, '0')}-${String(r.range(1, 28)).padStart(2, '0')}T10:00:00Z"}`,
      );
    }
    out.write('\n]\n');
    return;
  }
  if (name.endsWith('_pb.js')) {
    out.write(`// GENERATED CODE -- DO NOT EDIT!\n'use strict';\nvar jspb = require('google-protobuf');\nvar goog = jspb;\n`);
    while (out.size < size) {
      const msg = ctx.Noun() + ctx.Noun();
      const field = ctx.noun();
      const index = r.range(1, 30);
      const suffix = ctx.mention('Token', r.pick(['', 'Id', 'Name', 'Count']));
      out.write(
        `\n/**\n * @return {string}\n */\nproto.acme.v1.${msg}.prototype.get${pascal(field)}${suffix} = function() {\n  return /** @type {string} */ (jspb.Message.getFieldWithDefault(this, ${index}, ""));\n};\n\n/**\n * @param {string} value\n * @return {!proto.acme.v1.${msg}} returns this\n */\nproto.acme.v1.${msg}.prototype.set${pascal(field)}${suffix} = function(value) {\n  return jspb.Message.setProto3StringField(this, ${index}, value);\n};\n`,
      );
    }
    return;
  }
  // Generated TypeScript types (GraphQL codegen style).
  out.write("/* eslint-disable */\n// This file was generated by graphql-codegen. Do not edit.\nexport type Maybe<T> = T | null;\nexport type Scalars = { ID: { input: string; output: string }; String: { input: string; output: string } };\n");
  while (out.size < size) {
    const type = ctx.Type() + ctx.Noun();
    const fields: string[] = [`  __typename?: '${type}';`, "  id: Scalars['ID']['output'];"];
    for (let i = r.range(3, 10); i > 0; i--) fields.push(`  ${ctx.mention(r.pick(['token', 'accessToken', 'password', 'apiKey', 'clientSecret']), ctx.ident())}?: Maybe<Scalars['String']['output']>;`);
    out.write(`\nexport type ${type} = {\n${fields.join('\n')}\n};\n`);
  }
}

function generateShell(out: FileOut, ctx: FileContext, size: number): void {
  const r = ctx.rng;
  out.write('#!/usr/bin/env bash\nset -euo pipefail\n\n');
  const line = () =>
    out.write(
      r.pick([
        `echo "${ctx.verb()}ing ${ctx.noun()}..."`,
        `export PGPASSWORD="\${PGPASSWORD:-}"`,
        `curl -fsSL -H "Authorization: Bearer $API_TOKEN" "https://api.acme.io/v1/${ctx.noun()}s" -o /tmp/${ctx.noun()}.json`,
        `docker build -t ghcr.io/acme/${ctx.noun()}:"$VERSION" .`,
        `if [ -z "\${${ctx.ENV()}:-}" ]; then echo "missing ${ctx.ENV()}" >&2; exit 1; fi`,
        `node scripts/${ctx.fn()}.js --env "$NODE_ENV"`,
        `# ${ctx.sentence(4, 10)}`,
      ]) + '\n',
    );
  fillBlocks(out, ctx, size, line, (credential) => plantShell(out, ctx, credential));
}

function generateWorkflow(out: FileOut, ctx: FileContext, size: number): void {
  const r = ctx.rng;
  out.write(`name: ${pascal(ctx.verb())}\non:\n  push:\n    branches: [main]\n  pull_request:\n`);
  if (ctx.hasPending()) {
    out.write('env:\n');
    while (ctx.hasPending()) {
      const credential = ctx.nextCredential();
      if (credential.type === 'aws') {
        out.write('  AWS_ACCESS_KEY_ID: ');
        out.secret(credential.values[0]!.kind, credential.values[0]!.value);
        out.write('\n  AWS_SECRET_ACCESS_KEY: ');
        out.secret(credential.values[1]!.kind, credential.values[1]!.value);
        out.write('\n');
      } else {
        out.write(`  ${upper(credential.words)}: `);
        out.secret(single(credential).kind, single(credential).value);
        out.write('\n');
      }
    }
  }
  out.write('jobs:\n');
  while (out.size < size) {
    out.write(
      `  ${ctx.verb()}-${ctx.noun()}:\n    runs-on: ubuntu-latest\n    env:\n      NPM_TOKEN: \${{ secrets.NPM_TOKEN }}\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n          node-version: ${r.pick([18, 20, 22])}\n      - run: npm ci\n      - run: npm run ${r.pick(['test', 'build', 'lint'])}\n        env:\n          API_KEY: \${{ secrets.API_KEY }}\n`,
    );
  }
}

function generateMisc(out: FileOut, ctx: FileContext, size: number): void {
  const name = ctx.file.path.split('/').pop()!;
  if (name === 'Dockerfile') out.write(`FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nARG NPM_TOKEN\nENV NODE_ENV=production\nEXPOSE 3000\nCMD ["node", "dist/server.js"]\n`);
  else if (name === 'Makefile') out.write(`.PHONY: build test\nbuild:\n\tnpm run build\ntest:\n\tnpm test\ndeploy:\n\t./scripts/deploy.sh $(ENV)\n`);
  else if (name === 'LICENSE') out.write('MIT License\n\nCopyright (c) 2025 Acme\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software...\n');
  while (out.size < size) out.write(`# ${ctx.sentence(4, 12)}\n`);
}

function generateGitignore(out: FileOut): void {
  out.write('node_modules/\ndist/\ncoverage/\ntmp/\nlogs/\n*.log\n.env.local\n.DS_Store\n');
}

function generateNpmrc(out: FileOut, ctx: FileContext): void {
  out.write('registry=https://registry.npmjs.org/\n');
  if (!ctx.hasPending()) {
    out.write('//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n');
    return;
  }
  while (ctx.hasPending()) {
    const { kind, value } = single(ctx.nextCredential());
    out.write('//registry.npmjs.org/:_authToken=');
    out.secret(kind, value);
    out.write('\n');
  }
}

function generatePem(out: FileOut, ctx: FileContext): void {
  if (!ctx.hasPending()) {
    // A public certificate: PEM-shaped but not a secret.
    out.write(`-----BEGIN CERTIFICATE-----\n`);
    for (let i = 0; i < 20; i++) out.write(`${ctx.rng.chars(BASE64, 64)}\n`);
    out.write('-----END CERTIFICATE-----\n');
    return;
  }
  while (ctx.hasPending()) {
    const { kind, value } = single(ctx.nextCredential());
    out.secret(kind, value);
    if (!value.endsWith('\n')) out.write('\n');
  }
}

function generateServiceAccount(out: FileOut, ctx: FileContext): void {
  const r = ctx.rng;
  const project = `${ctx.noun()}-${ctx.noun()}-${r.chars(DIGITS, 6)}`;
  out.write(`{\n  "type": "service_account",\n  "project_id": "${project}",\n  "private_key_id": "${r.chars(HEX, 40)}",\n  "private_key": "`);
  if (ctx.hasPending()) {
    const { kind, value } = single(ctx.nextCredential());
    out.secretWritten(kind, value, () => out.write(value.replace(/\n/g, '\\n')));
  } else {
    out.write('${GCP_PRIVATE_KEY}');
  }
  out.write(
    `",\n  "client_email": "deployer@${project}.iam.gserviceaccount.com",\n  "client_id": "${r.chars(DIGITS, 21)}",\n  "auth_uri": "https://accounts.google.com/o/oauth2/auth",\n  "token_uri": "https://oauth2.googleapis.com/token"\n}\n`,
  );
}

function generateBinary(out: FileOut, ctx: FileContext, size: number): void {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 4) {
    const word = ctx.rng.uint32();
    bytes[i] = word & 0xff;
    bytes[i + 1] = (word >>> 8) & 0xff;
    bytes[i + 2] = (word >>> 16) & 0xff;
    bytes[i + 3] = word >>> 24;
  }
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
  out.writeBytes(bytes);
}

/** Files the scanner must not read: .gitignore'd caches and logs, node_modules. Same kind of text as the rest. */
function generateIgnored(out: FileOut, ctx: FileContext, size: number): void {
  while (out.size < size) out.write(`${new Date(1_750_000_000_000 + out.size * 1000).toISOString()} INFO ${ctx.verb()} ${ctx.noun()} token=*** ${tsStatement(ctx, false)}\n`);
}

const GENERATORS: Record<FileKind, Generator> = {
  ts: generateTs(true, false),
  js: generateTs(false, false),
  'ts-test': generateTs(true, true),
  python: generatePython,
  go: generateGo,
  'json-config': generateJsonConfig,
  yaml: generateYaml,
  env: generateEnv,
  markdown: generateMarkdown,
  css: generateCss,
  lockfile: generateLockfile,
  minified: generateMinified,
  generated: generateGenerated,
  shell: generateShell,
  workflow: generateWorkflow,
  npmrc: generateNpmrc,
  pem: generatePem,
  'service-account': generateServiceAccount,
  misc: generateMisc,
  gitignore: generateGitignore,
  binary: generateBinary,
  ignored: generateIgnored,
};
