/**
 * Look-alike negatives: things real repositories hold next to (or instead of) secrets, which a scanner must
 * not report. Each has a `kind` (what it is) and a `family` (placeholder, documented-example, public,
 * identifier, hash, encoded, encrypted, reference, code, misc, random-nonsecret) for the report.
 *
 * How a negative is written:
 *   literal  a value under a setting name, through the file kinds' own templates (so `${DB_PASSWORD}` lands
 *            in .env, compose files and properties files as each writes a setting); `slots` adds headers,
 *            URLs or connection-URI positions; `kinds` limits where it is realistic
 *   block    a multi-line value (public keys, certificates, elided PEM blocks in docs)
 *   expr     an expression reading the value from somewhere else, per language (os.environ["X"])
 *   code     whole lines of code or markup, per language (a Go struct tag, a Django model field)
 *   raw      entries of files that are mostly look-alikes (lockfiles, bundles, SOPS files), per file kind
 *
 * No value here is a credential: every random part is drawn from the bench's seeded PRNG, and the published
 * examples (AWS's EXAMPLE keys, jwt.io's token, RFC 6749's and RFC 7636's samples) are the ones their
 * documents print. Some are "neutral": public-by-design values that a scanner may report as what they are
 * (a Firebase web API key as a low-severity Google key, a bcrypt hash as a password hash); `accept` says
 * which findings on them are not false positives.
 */
import { Rng } from '../../test/helpers/random.js';
import type { Lang, Slot } from './kinds.js';

export type NegMode = 'literal' | 'block' | 'expr' | 'code' | 'raw';

export interface NegContext {
  rng: Rng;
  /** Token-shaped values of the built-in rules (ghp_…, xoxb-…), split at the end of the rule's keyword. */
  tokenShape(): { prefix: string; body: string };
}

export interface NegValue {
  words: string[];
  /** May use name placeholders ({NAME}, {name-k}, ...); rendered with `words`. */
  value: string;
}

export interface NegativeKind {
  kind: string;
  family: string;
  mode: NegMode;
  /** literal/block: a value and its setting name. */
  make?: (g: NegContext) => NegValue;
  /** literal: positions besides "under a name" where the value goes (T token, U url, R connection URI). */
  slots?: Slot[];
  /** literal/block/expr/code: only these file kinds (ids). */
  kinds?: string[];
  /** expr: expressions per language; code: whole entries per language. Placeholders allowed. */
  byLang?: Partial<Record<Lang, string[]>>;
  /** expr/code: the setting names to draw from. */
  names?: string[][];
  /** raw: entry generators per file kind id. */
  raw?: Record<string, (g: NegContext) => string>;
  /** Findings on this negative that are acceptable (public-by-design values reported as what they are). */
  accept?: (finding: { ruleId: string; credentialType: string }) => boolean;
}

// ─── Random parts ─────────────────────────────────────────────────────────────────────────────────

const HEX = '0123456789abcdef';
const UPPER_HEX = '0123456789ABCDEF';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const B64 = ALNUM + '+/';
const B64URL = ALNUM + '-_';

const hex = (g: NegContext, n: number) => g.rng.chars(HEX, n);
const b64 = (g: NegContext, n: number) => g.rng.chars(B64, n);
const b64url = (g: NegContext, n: number) => g.rng.chars(B64URL, n);
const alnum = (g: NegContext, n: number) => g.rng.chars(ALNUM, n);
const digits = (g: NegContext, n: number) => g.rng.char('123456789') + g.rng.chars(DIGITS, n - 1);
const uuid = (g: NegContext) => `${hex(g, 8)}-${hex(g, 4)}-4${hex(g, 3)}-${g.rng.pick(['8', '9', 'a', 'b'])}${hex(g, 3)}-${hex(g, 12)}`;
const pick = <T>(g: NegContext, items: readonly T[]): T => g.rng.pick(items);
const base64urlJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const NOUNS = ['billing', 'search', 'orders', 'ledger', 'media', 'notify', 'auth', 'catalog', 'reports', 'inventory'];
const noun = (g: NegContext) => pick(g, NOUNS);
const version = (g: NegContext) => `${g.rng.range(0, 9)}.${g.rng.range(0, 30)}.${g.rng.range(0, 20)}`;

/** Base64 of bytes that start like a PNG file (what data: URIs and notebook outputs hold). */
function pngBase64(g: NegContext, bytes: number): string {
  const header = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52];
  const body: number[] = [...header];
  while (body.length < bytes) body.push(g.rng.int(256));
  return Buffer.from(body).toString('base64');
}

function randomBase64(g: NegContext, bytes: number): string {
  const body: number[] = [];
  for (let i = 0; i < bytes; i++) body.push(g.rng.int(256));
  return Buffer.from(body).toString('base64');
}

/** A PEM-armoured block of random base64 (for public keys, certificates, encrypted messages). */
export function armoured(g: NegContext, label: string, lines = 12, headers: string[] = []): string {
  const body: string[] = [];
  for (let i = 0; i < lines; i++) body.push(b64(g, 64));
  body.push(`${b64(g, 4 * g.rng.range(4, 12) - 1)}=`);
  return [`-----BEGIN ${label}-----`, ...headers, ...body, `-----END ${label}-----`].join('\n');
}

/** jwt.io's sample token, assembled from its published header, payload and signature. */
const JWT_IO_SAMPLE = [
  base64urlJson({ alg: 'HS256', typ: 'JWT' }),
  base64urlJson({ sub: '1234567890', name: 'John Doe', iat: 1516239022 }),
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
].join('.');

const AWS_DOC_KEY_ID = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
const AWS_DOC_SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');

// ─── Name pools ───────────────────────────────────────────────────────────────────────────────────

const w = (name: string) => name.split(/[_ ]/);
const PASSWORD_NAMES = ['password', 'db_password', 'admin_password', 'smtp_password', 'redis_password', 'mysql_root_password', 'postgres_password'].map(w);
const SECRET_NAMES = ['api_key', 'secret_key', 'client_secret', 'auth_token', 'access_token', 'jwt_secret', 'webhook_secret', 'stripe_secret_key', 'github_token', 'openai_api_key', 'slack_bot_token', 'sendgrid_api_key'].map(w);
const ANY_SECRET_NAMES = [...PASSWORD_NAMES, ...SECRET_NAMES];

const named = (names: string[][], value: (g: NegContext) => string) => (g: NegContext): NegValue => ({ words: pick(g, names), value: value(g) });

// ─── The catalogue ────────────────────────────────────────────────────────────────────────────────

const TEMPLATE_VAR_KINDS = ['dotenv', 'shell-script', 'shell-rc', 'docker-compose', 'docker-compose-list', 'spring-yaml', 'java-properties', 'app-config-yaml', 'gitlab-ci', 'travis', 'npmrc', 'hocon', 'terraform', 'markdown', 'systemd-unit', 'makefile', 'dockerfile', 'serverless', 'k8s-configmap'];
const YAML_TEMPLATE_KINDS = ['ansible-vars', 'k8s-secret-stringdata', 'k8s-deployment', 'k8s-configmap', 'app-config-yaml', 'docker-compose', 'spring-yaml'];
const CONFIG_KINDS = ['dotenv', 'app-config-yaml', 'config-json', 'toml-config', 'ini-config', 'java-properties', 'docker-compose', 'k8s-secret-stringdata', 'helm-values', 'ansible-vars', 'terraform', 'tfvars', 'spring-yaml', 'appsettings-json', 'hocon', 'markdown'];
const CODE_KINDS = ['python', 'javascript', 'typescript', 'go', 'java', 'kotlin', 'csharp', 'ruby', 'php', 'swift', 'dart', 'django-settings'];

export const NEGATIVE_KINDS: NegativeKind[] = [
  // ── placeholders and templating ──
  {
    kind: 'template ${VAR}', family: 'placeholder', mode: 'literal', slots: ['T', 'R'], kinds: TEMPLATE_VAR_KINDS,
    make: named(ANY_SECRET_NAMES, (g) => pick(g, ['${{NAME}}', '${{NAME}:-}', '${{NAME}:?{NAME} is required}', '${{NAME}}'])),
  },
  {
    kind: 'template {{ var }}', family: 'placeholder', mode: 'literal', kinds: YAML_TEMPLATE_KINDS,
    make: named(ANY_SECRET_NAMES, (g) => pick(g, ['{{ {name} }}', '{{ vault_{name} }}', "{{ lookup('env', '{NAME}') }}", '{{ .Values.{sec}.{restC} }}', '{{ .Values.{nameC} | b64enc }}'])),
  },
  {
    kind: 'template ${{ secrets.X }}', family: 'placeholder', mode: 'literal', slots: ['T'], kinds: ['github-actions'],
    make: named(ANY_SECRET_NAMES, (g) => pick(g, ['${{ secrets.{NAME} }}', '${{ secrets.{NAME} }}', '${{ secrets.GITHUB_TOKEN }}', '${{ steps.{sec}.outputs.{rest} }}'])),
  },
  {
    kind: 'template %VAR%', family: 'placeholder', mode: 'literal', kinds: ['batch'],
    make: named(ANY_SECRET_NAMES, () => '%{NAME}%'),
  },
  {
    kind: 'template $(VAR)', family: 'placeholder', mode: 'literal', kinds: ['azure-pipelines', 'makefile', 'k8s-deployment'],
    make: named(ANY_SECRET_NAMES, (g) => pick(g, ['$({NAME})', '$(Prod.{NameP})', '$({sec}.{rest})'])),
  },
  {
    kind: 'template (other engines)', family: 'placeholder', mode: 'literal', kinds: [...CONFIG_KINDS, 'web-config', 'pom-properties', 'k8s-deployment'],
    make: named(ANY_SECRET_NAMES, (g) => pick(g, ['__{NAME}__', '#{{NameP}}', '@{name.d}@', '(({name-k}))', '<%= ENV["{NAME}"] %>', '{{ .Env.{NAME} }}', '[[ .{NameP} ]]'])),
  },
  {
    kind: 'placeholder <your-key>', family: 'placeholder', mode: 'literal', slots: ['T'],
    make: named(ANY_SECRET_NAMES, (g) => pick(g, ['<your-{name-k}>', '<{NAME}>', '<YOUR_{NAME}_HERE>', '<insert {name-k} here>', '<{name}>'])),
  },
  {
    kind: 'placeholder xxxx (token-shaped)', family: 'placeholder', mode: 'literal', slots: ['T'],
    make: (g) => {
      const { prefix, body } = g.tokenShape();
      const x = g.rng.chance(0.5) ? 'x' : 'X';
      return { words: pick(g, SECRET_NAMES), value: prefix + body.replace(/[A-Za-z0-9]/g, x) };
    },
  },
  {
    kind: 'placeholder xxxx (plain)', family: 'placeholder', mode: 'literal',
    make: named(ANY_SECRET_NAMES, (g) => pick(g, ['x'.repeat(g.rng.range(12, 40)), 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'xxxx-xxxx-xxxx-xxxx', 'XXXX'])),
  },
  {
    kind: 'masked ****', family: 'placeholder', mode: 'literal', slots: ['T'],
    make: (g) => {
      const { prefix, body } = g.tokenShape();
      const value = pick(g, [prefix + '*'.repeat(body.length), '********', '*'.repeat(g.rng.range(8, 32)), `${prefix}****${body.slice(-4)}`]);
      return { words: pick(g, ANY_SECRET_NAMES), value };
    },
  },
  {
    kind: 'elided (prefix...)', family: 'placeholder', mode: 'literal', slots: ['T'],
    make: (g) => {
      const { prefix, body } = g.tokenShape();
      return { words: pick(g, SECRET_NAMES), value: pick(g, [`${prefix}...`, `${prefix}…`, `${prefix}${body.slice(0, 4)}...${body.slice(-4)}`]) };
    },
  },
  {
    kind: 'changeme', family: 'placeholder', mode: 'literal',
    make: named(ANY_SECRET_NAMES, (g) => pick(g, ['changeme', 'change-me', 'CHANGE_ME', 'changeme123', 'please-change-me', 'ChangeMe!', 'change_me_in_production'])),
  },
  {
    kind: 'example words', family: 'placeholder', mode: 'literal', slots: ['T'],
    make: named(ANY_SECRET_NAMES, (g) => pick(g, ['your-{name-k}-here', 'your_{name}', 'example-{name-k}', '{name}-goes-here', 'EXAMPLE_{NAME}', 'replace-with-your-{name-k}', 'INSERT_{NAME}_HERE', 'sample-{name-k}-123', 'my-example-{name-k}'])),
  },
  {
    kind: 'dummy / test values', family: 'placeholder', mode: 'literal',
    make: named(ANY_SECRET_NAMES, (g) => pick(g, ['dummy', 'test', 'test123', 'testtest', 'test-{name-k}', 'dummy-{name-k}-for-tests', 'fake-{name-k}', 'not-a-real-{name-k}', 'secret', 'password', 'hunter2', 'local-dev-only'])),
  },
  {
    kind: 'empty / null / TODO', family: 'placeholder', mode: 'literal',
    make: named(ANY_SECRET_NAMES, (g) => pick(g, ['', 'null', 'TODO', 'TBD', 'none', 'n/a', 'REPLACE_ME'])),
  },
  {
    kind: 'zeros / sequences', family: 'placeholder', mode: 'literal',
    make: named(SECRET_NAMES, (g) => pick(g, ['00000000-0000-0000-0000-000000000000', '0'.repeat(32), '0123456789abcdef0123456789abcdef', 'deadbeefdeadbeefdeadbeefdeadbeef', 'abcdef0123456789abcdef0123456789', '1111111111111111'])),
  },
  {
    kind: 'default dev credentials', family: 'placeholder', mode: 'literal', slots: ['R'], kinds: ['docker-compose', 'dotenv', 'app-config-yaml', 'config-json', 'python', 'markdown', 'javascript'],
    make: (g) =>
      pick(g, [
        { words: ['postgres', 'password'], value: 'postgres' },
        { words: ['mysql', 'root', 'password'], value: 'root' },
        { words: ['rabbitmq', 'default', 'pass'], value: 'guest' },
        { words: ['mongo', 'initdb', 'root', 'password'], value: 'example' },
        { words: ['database', 'url'], value: 'postgres://postgres:postgres@localhost:5432/postgres' },
        { words: ['amqp', 'url'], value: 'amqp://guest:guest@localhost:5672/' },
        { words: ['database', 'url'], value: 'mysql://root:root@127.0.0.1:3306/app' },
        { words: ['mongo', 'url'], value: 'mongodb://root:example@localhost:27017/' },
      ]),
  },

  // ── published example values ──
  {
    kind: 'AWS documentation keys', family: 'documented-example', mode: 'literal',
    make: (g) => (g.rng.chance(0.5) ? { words: ['aws', 'access', 'key', 'id'], value: AWS_DOC_KEY_ID } : { words: ['aws', 'secret', 'access', 'key'], value: AWS_DOC_SECRET }),
  },
  {
    kind: "jwt.io's sample JWT", family: 'documented-example', mode: 'literal', slots: ['T'],
    make: named([['access', 'token'], ['jwt'], ['id', 'token'], ['token'], ['auth', 'token']], () => JWT_IO_SAMPLE),
  },
  {
    kind: 'RFC 6749 sample tokens', family: 'documented-example', mode: 'literal',
    make: (g) => (g.rng.chance(0.5) ? { words: ['access', 'token'], value: ['2YotnFZFEjr1z', 'CsicMWpAA'].join('') } : { words: ['refresh', 'token'], value: ['tGzv3JOkF0XG5', 'Qx2TlKWIA'].join('') }),
  },
  {
    kind: 'RFC 7636 PKCE sample', family: 'documented-example', mode: 'literal',
    make: (g) =>
      g.rng.chance(0.5)
        ? { words: ['code', 'verifier'], value: ['dBjftJeZ4CVP', 'mB92K27uhbUJU1p1r_wW1gFWFOEjXk'].join('-') }
        : { words: ['code', 'challenge'], value: ['E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw', 'cM'].join('-') },
  },
  {
    kind: 'RFC 6455 WebSocket sample key', family: 'documented-example', mode: 'literal',
    make: (g) => (g.rng.chance(0.5) ? { words: ['sec', 'websocket', 'key'], value: 'dGhlIHNhbXBsZSBub25jZQ==' } : { words: ['sec', 'websocket', 'accept'], value: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' }),
  },
  {
    kind: "Slack's documentation webhook", family: 'documented-example', mode: 'literal', slots: ['U'],
    make: named([['slack', 'webhook', 'url'], ['webhook', 'url']], () => `https://hooks.slack.com/services/T00000000/B00000000/${'X'.repeat(24)}`),
  },
  {
    kind: 'elided PEM in docs', family: 'documented-example', mode: 'block',
    kinds: ['markdown', 'notes-txt', 'app-config-yaml', 'helm-values', 'ansible-vars', 'config-json', 'dotenv', 'python', 'javascript', 'typescript', 'k8s-secret-stringdata'],
    make: named([['private', 'key'], ['ssh', 'private', 'key'], ['tls', 'key']], (g) =>
      pick(g, [
        '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----',
        '-----BEGIN PRIVATE KEY-----\n<your private key>\n-----END PRIVATE KEY-----',
        '-----BEGIN OPENSSH PRIVATE KEY-----\n...\n-----END OPENSSH PRIVATE KEY-----',
        '-----BEGIN EC PRIVATE KEY-----\n(paste the key here)\n-----END EC PRIVATE KEY-----',
      ]),
    ),
  },

  // ── public by design ──
  {
    kind: 'Stripe publishable key', family: 'public', mode: 'literal',
    make: named([['stripe', 'publishable', 'key'], ['next', 'public', 'stripe', 'key'], ['publishable', 'key']], (g) => `pk_${pick(g, ['live', 'test'])}_${alnum(g, pick(g, [24, 99]))}`),
  },
  {
    kind: 'Supabase anon key', family: 'public', mode: 'literal',
    make: named([['supabase', 'anon', 'key'], ['next', 'public', 'supabase', 'anon', 'key'], ['anon', 'key']], (g) => {
      const iat = 1_700_000_000 + g.rng.int(30_000_000);
      const payload = { iss: 'supabase', ref: g.rng.chars(LOWER, 20), role: 'anon', iat, exp: iat + 315_360_000 };
      return `${base64urlJson({ alg: 'HS256', typ: 'JWT' })}.${base64urlJson(payload)}.${b64url(g, 43)}`;
    }),
  },
  {
    kind: 'Sentry DSN', family: 'public', mode: 'literal', slots: ['U'],
    make: named([['sentry', 'dsn'], ['dsn'], ['next', 'public', 'sentry', 'dsn']], (g) => `https://${hex(g, 32)}@o${digits(g, 6)}.ingest.${pick(g, ['', 'us.', 'de.'])}sentry.io/${digits(g, 7)}`),
  },
  {
    kind: 'Firebase web config (neutral)', family: 'public', mode: 'code',
    accept: (f) => f.credentialType === 'api-key' && /google|firebase|gcp/.test(f.ruleId),
    byLang: {
      js: ['const firebaseConfig = {\n  apiKey: "{firebaseKey}",\n  authDomain: "{noun}-prod.firebaseapp.com",\n  projectId: "{noun}-prod",\n  storageBucket: "{noun}-prod.appspot.com",\n  messagingSenderId: "{digits12}",\n  appId: "1:{digits12}:web:{hex22}"\n};'],
      ts: ['export const firebaseConfig = {\n  apiKey: "{firebaseKey}",\n  authDomain: "{noun}-app.firebaseapp.com",\n  projectId: "{noun}-app",\n  appId: "1:{digits12}:web:{hex22}",\n  measurementId: "G-{upper10}"\n};'],
      html: ['  <script>\n    firebase.initializeApp({ apiKey: "{firebaseKey}", authDomain: "{noun}.firebaseapp.com", projectId: "{noun}" });\n  </script>'],
    },
  },
  {
    kind: 'Google OAuth client ID', family: 'public', mode: 'literal',
    make: named([['google', 'client', 'id'], ['client', 'id'], ['oauth', 'client', 'id']], (g) => `${digits(g, 12)}-${g.rng.chars(LOWER + DIGITS, 32)}.apps.googleusercontent.com`),
  },
  {
    kind: 'Mapbox public token (pk.)', family: 'public', mode: 'literal',
    make: named([['mapbox', 'access', 'token'], ['next', 'public', 'mapbox', 'token'], ['mapbox', 'token']], (g) => `pk.${base64urlJson({ u: `${noun(g)}-maps`, a: `cl${g.rng.chars(LOWER + DIGITS, 23)}` })}.${b64url(g, 22)}`),
  },
  {
    kind: 'reCAPTCHA site key', family: 'public', mode: 'literal',
    make: named([['recaptcha', 'site', 'key'], ['next', 'public', 'recaptcha', 'site', 'key']], (g) => `6L${b64url(g, 38)}`),
  },
  {
    kind: 'OAuth app client ID (GitHub)', family: 'public', mode: 'literal',
    make: named([['github', 'client', 'id'], ['client', 'id']], (g) => (g.rng.chance(0.5) ? `Iv1.${hex(g, 16)}` : `Ov23li${alnum(g, 14)}`)),
  },
  {
    kind: 'Algolia search-only key', family: 'public', mode: 'literal',
    make: named([['algolia', 'search', 'key'], ['next', 'public', 'algolia', 'search', 'api', 'key'], ['algolia', 'search', 'only', 'api', 'key']], (g) => hex(g, 32)),
  },
  {
    kind: 'analytics project key (Mixpanel, PostHog phc_)', family: 'public', mode: 'literal',
    make: (g) => (g.rng.chance(0.5) ? { words: ['mixpanel', 'token'], value: hex(g, 32) } : { words: pick(g, [['posthog', 'key'], ['next', 'public', 'posthog', 'key']]), value: `phc_${alnum(g, 43)}` }),
  },
  {
    kind: 'SSH public key', family: 'public', mode: 'literal',
    make: named([['ssh', 'public', 'key'], ['authorized', 'key'], ['deploy', 'public', 'key']], (g) =>
      g.rng.chance(0.5) ? `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${b64(g, 43)} deploy@${noun(g)}` : `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ${b64(g, 500)}= ci@${noun(g)}`,
    ),
  },
  {
    kind: 'public key / certificate PEM', family: 'public', mode: 'block',
    make: named([['public', 'key'], ['tls', 'crt'], ['ca', 'cert'], ['jwt', 'public', 'key']], (g) =>
      pick(g, [armoured(g, 'PUBLIC KEY', 6), armoured(g, 'CERTIFICATE', 16), armoured(g, 'RSA PUBLIC KEY', 5), armoured(g, 'PGP PUBLIC KEY BLOCK', 14, ['', ''])]),
    ),
  },
  {
    kind: 'Twilio account SID', family: 'public', mode: 'literal',
    make: named([['twilio', 'account', 'sid'], ['account', 'sid']], (g) => `AC${hex(g, 32)}`),
  },
  {
    kind: 'blockchain address / tx hash', family: 'public', mode: 'literal',
    make: named([['contract', 'address'], ['token', 'address'], ['token', 'contract'], ['tx', 'hash'], ['treasury', 'wallet']], (g) => `0x${hex(g, 40)}`),
  },
  {
    kind: 'age recipient (public)', family: 'public', mode: 'literal',
    make: named([['sops', 'age', 'recipients'], ['age', 'recipient']], (g) => `age1${g.rng.chars('qpzry9x8gf2tvdw0s3jn54khce6mua7l', 58)}`),
  },

  // ── identifiers ──
  {
    kind: 'UUID identifiers', family: 'identifier', mode: 'literal',
    make: named([['request', 'id'], ['tenant', 'id'], ['api', 'key', 'id'], ['token', 'id'], ['client', 'id'], ['subscription', 'id'], ['azure', 'tenant', 'id'], ['azure', 'client', 'id'], ['workspace', 'id'], ['correlation', 'id']], uuid),
  },
  {
    kind: 'git SHAs', family: 'identifier', mode: 'literal',
    make: named([['commit'], ['revision'], ['git', 'head'], ['git', 'commit'], ['base', 'sha'], ['source', 'version']], (g) => hex(g, 40)),
  },
  {
    kind: 'pinned action SHAs', family: 'identifier', mode: 'raw',
    raw: { 'github-actions': (g) => `      - uses: ${pick(g, ['actions/checkout', 'actions/setup-node', 'docker/login-action', 'aws-actions/configure-aws-credentials'])}@${hex(g, 40)} # v${version(g)}` },
  },
  {
    kind: 'trace / request IDs', family: 'identifier', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['trace', 'id'], value: hex(g, 32) },
      { words: ['span', 'id'], value: hex(g, 16) },
      { words: ['x', 'request', 'id'], value: uuid(g) },
      { words: ['x', 'amzn', 'trace', 'id'], value: `Root=1-${hex(g, 8)}-${hex(g, 24)}` },
      { words: ['cf', 'ray'], value: `${hex(g, 16)}-AMS` },
    ]),
  },
  {
    kind: 'cloud resource IDs / ARNs', family: 'identifier', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['instance', 'id'], value: `i-0${hex(g, 16)}` },
      { words: ['security', 'group', 'id'], value: `sg-0${hex(g, 16)}` },
      { words: ['ami', 'id'], value: `ami-0${hex(g, 16)}` },
      { words: ['kms', 'key', 'id'], value: `arn:aws:kms:us-east-1:${digits(g, 12)}:key/${uuid(g)}` },
      { words: ['role', 'arn'], value: `arn:aws:iam::${digits(g, 12)}:role/${noun(g)}-deploy` },
      { words: ['db', 'password', 'secret', 'arn'], value: `arn:aws:secretsmanager:eu-west-1:${digits(g, 12)}:secret:${noun(g)}/db-password-${alnum(g, 6)}` },
      { words: ['azure', 'subscription', 'id'], value: uuid(g) },
    ]),
  },
  {
    kind: 'Stripe object IDs', family: 'identifier', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['customer', 'id'], value: `cus_${alnum(g, 14)}` },
      { words: ['price', 'id'], value: `price_${alnum(g, 24)}` },
      { words: ['stripe', 'account', 'id'], value: `acct_${alnum(g, 16)}` },
      { words: ['product', 'id'], value: `prod_${alnum(g, 14)}` },
    ]),
  },
  {
    kind: 'Stripe objects in test fixtures', family: 'identifier', mode: 'raw',
    raw: {
      'stripe-fixtures': (g) =>
        `  "${pick(g, ['payment_intent', 'charge', 'customer', 'event'])}_${g.rng.int(99)}": {\n    "id": "${pick(g, ['pi', 'ch', 'cus', 'evt'])}_${alnum(g, 24)}",\n    "object": "${pick(g, ['payment_intent', 'charge', 'customer', 'event'])}",\n    "customer": "cus_${alnum(g, 14)}",\n    "payment_method": "pm_${alnum(g, 24)}",\n    "livemode": false,\n    "created": ${1_700_000_000 + g.rng.int(9_999_999)}\n  }`,
    },
  },
  {
    kind: 'database object IDs', family: 'identifier', mode: 'literal',
    make: named([['user', 'id'], ['owner', 'id'], ['object', 'id'], ['token', 'owner', 'id']], (g) => hex(g, 24)),
  },
  {
    kind: 'chat platform IDs', family: 'identifier', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['slack', 'channel', 'id'], value: `C0${g.rng.chars(UPPER + DIGITS, 9)}` },
      { words: ['discord', 'guild', 'id'], value: digits(g, 18) },
      { words: ['discord', 'client', 'id'], value: digits(g, 19) },
      { words: ['telegram', 'chat', 'id'], value: `-100${digits(g, 10)}` },
    ]),
  },
  {
    kind: 'key IDs and fingerprints', family: 'identifier', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['private', 'key', 'id'], value: hex(g, 40) },
      { words: ['kid'], value: b64url(g, 43) },
      { words: ['gpg', 'key', 'id'], value: g.rng.chars(UPPER_HEX, 16) },
      { words: ['ssh', 'key', 'fingerprint'], value: `SHA256:${b64(g, 43)}` },
      { words: ['signing', 'key', 'id'], value: g.rng.chars(UPPER_HEX, 40) },
    ]),
  },
  {
    kind: 'gpg --recv-keys fingerprints', family: 'identifier', mode: 'code',
    byLang: {
      docker: ['RUN gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys {HEX40} \\\n && gpg --batch --verify node.tar.xz.asc node.tar.xz'],
      shell: ['gpg --keyserver hkps://keyserver.ubuntu.com --recv-keys {HEX40}'],
      markdown: ['Release artifacts are signed with `{HEX40}`; import it with `gpg --recv-keys {HEX40}`.'],
    },
  },
  {
    kind: 'analytics IDs', family: 'identifier', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['ga', 'measurement', 'id'], value: `G-${g.rng.chars(UPPER + DIGITS, 10)}` },
      { words: ['gtm', 'id'], value: `GTM-${g.rng.chars(UPPER + DIGITS, 7)}` },
      { words: ['ga', 'tracking', 'id'], value: `UA-${digits(g, 8)}-1` },
    ]),
  },
  {
    kind: 'image digests', family: 'identifier', mode: 'code',
    byLang: {
      docker: ['FROM node:20-alpine@sha256:{hex64} AS build'],
      yaml: ['image: postgres:16@sha256:{hex64}'],
      hcl: ['resource "docker_image" "{noun}" {\n  name = "ghcr.io/acme/{noun}@sha256:{hex64}"\n}'],
    },
  },
  {
    kind: 'IDs in shared-document URLs', family: 'identifier', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['spreadsheet', 'id'], value: b64url(g, 44) },
      { words: ['figma', 'file', 'key'], value: alnum(g, 22) },
      { words: ['notion', 'page', 'id'], value: hex(g, 32) },
      { words: ['airtable', 'base', 'id'], value: `app${alnum(g, 14)}` },
      { words: ['drive', 'folder', 'id'], value: b64url(g, 33) },
    ]),
  },

  // ── hashes and checksums ──
  {
    kind: 'lockfile integrity (npm)', family: 'hash', mode: 'raw',
    raw: {
      'package-lock': (g) => {
        const pkg = pick(g, ['js-tokens', 'token-types', 'safe-buffer', 'jsonwebtoken', 'bcryptjs', 'secure-json-parse', 'passport-http-bearer', 'csrf', 'oauth-sign']);
        const v = version(g);
        return `    "node_modules/${pkg}": {\n      "version": "${v}",\n      "resolved": "https://registry.npmjs.org/${pkg}/-/${pkg}-${v}.tgz",\n      "integrity": "sha512-${b64(g, 86)}==",\n      "license": "MIT"\n    }`;
      },
    },
  },
  {
    kind: 'lockfile integrity (yarn)', family: 'hash', mode: 'raw',
    raw: {
      'yarn-lock': (g) => {
        const pkg = pick(g, ['js-tokens', 'token-stream', 'secret-handshake', 'passport-jwt', 'keygrip']);
        const v = version(g);
        return `${pkg}@^${v}:\n  version "${v}"\n  resolved "https://registry.yarnpkg.com/${pkg}/-/${pkg}-${v}.tgz#${hex(g, 40)}"\n  integrity sha512-${b64(g, 86)}==`;
      },
    },
  },
  {
    kind: 'go.sum hashes', family: 'hash', mode: 'raw',
    raw: { 'go-sum': (g) => { const m = `github.com/${noun(g)}/${pick(g, ['jwt', 'oauth2', 'secrets', 'token-bucket'])}`; const v = `v${version(g)}`; return `${m} ${v} h1:${b64(g, 43)}=\n${m} ${v}/go.mod h1:${b64(g, 43)}=`; } },
  },
  {
    kind: 'Python lock hashes', family: 'hash', mode: 'raw',
    raw: {
      'python-lock': (g) =>
        g.rng.chance(0.5)
          ? `${pick(g, ['cryptography', 'pyjwt', 'requests-oauthlib', 'keyring'])}==${version(g)} \\\n    --hash=sha256:${hex(g, 64)} \\\n    --hash=sha256:${hex(g, 64)}`
          : `[[package]]\nname = "${pick(g, ['pyjwt', 'secretstorage', 'tokenizers'])}"\nversion = "${version(g)}"\nfiles = [\n    {file = "pkg-${version(g)}.tar.gz", hash = "sha256:${hex(g, 64)}"},\n]`,
    },
  },
  {
    kind: 'Cargo.lock checksums', family: 'hash', mode: 'raw',
    raw: { 'cargo-lock': (g) => `[[package]]\nname = "${pick(g, ['ring', 'jsonwebtoken', 'secrecy', 'rustls'])}"\nversion = "${version(g)}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "${hex(g, 64)}"` },
  },
  {
    kind: 'Terraform lock hashes', family: 'hash', mode: 'raw',
    raw: { 'terraform-lock': (g) => `provider "registry.terraform.io/hashicorp/${pick(g, ['aws', 'random', 'tls', 'vault'])}" {\n  version = "${version(g)}"\n  hashes = [\n    "h1:${b64(g, 43)}=",\n    "zh:${hex(g, 64)}",\n    "zh:${hex(g, 64)}",\n  ]\n}` },
  },
  {
    kind: 'checksum files', family: 'hash', mode: 'raw',
    raw: { checksums: (g) => `${hex(g, 64)}  ${noun(g)}_${version(g)}_${pick(g, ['linux_amd64', 'darwin_arm64', 'windows_amd64'])}.tar.gz` },
  },
  {
    kind: 'SRI integrity in HTML', family: 'hash', mode: 'code',
    byLang: { html: ['  <script src="https://cdn.jsdelivr.net/npm/{noun}@{ver}/dist/{noun}.min.js" integrity="sha384-{sri}" crossorigin="anonymous"></script>'] },
  },
  {
    kind: 'named digests / checksums', family: 'hash', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['checksum'], value: hex(g, 64) },
      { words: ['sha256'], value: hex(g, 64) },
      { words: ['digest'], value: `sha256:${hex(g, 64)}` },
      { words: ['etag'], value: hex(g, 32) },
      { words: ['content', 'hash'], value: hex(g, 20) },
      { words: ['integrity'], value: `sha512-${b64(g, 86)}==` },
      { words: ['token', 'hash'], value: hex(g, 64) },
      { words: ['api', 'key', 'sha256'], value: hex(g, 64) },
    ]),
  },
  {
    kind: 'bcrypt hashes in seeds (neutral)', family: 'hash', mode: 'raw',
    accept: (f) => f.credentialType === 'password-hash',
    raw: {
      'seed-data': (g) => `  {\n    "id": "${uuid(g)}",\n    "email": "${noun(g)}.${pick(g, ['admin', 'user', 'viewer'])}@acme-corp.io",\n    "passwordHash": "$2b$12$${g.rng.chars('./' + ALNUM, 53)}",\n    "role": "${pick(g, ['admin', 'member'])}"\n  }`,
    },
  },
  {
    kind: 'Git LFS pointers', family: 'hash', mode: 'raw',
    raw: { 'lfs-pointer': (g) => `version https://git-lfs.github.com/spec/v1\noid sha256:${hex(g, 64)}\nsize ${g.rng.range(10_000, 90_000_000)}` },
  },

  // ── encoded data ──
  {
    kind: 'data: URI images and fonts', family: 'encoded', mode: 'raw',
    raw: {
      css: (g) =>
        g.rng.chance(0.6)
          ? `.${noun(g)}-icon {\n  background-image: url("data:image/png;base64,${pngBase64(g, g.rng.range(150, 1500))}");\n}`
          : `@font-face {\n  font-family: "${noun(g)}";\n  src: url(data:font/woff2;base64,d09GMgABAAAA${randomBase64(g, g.rng.range(800, 3000))}) format("woff2");\n}`,
    },
  },
  {
    kind: 'data: URIs in code and docs', family: 'encoded', mode: 'code',
    byLang: {
      html: ['  <link rel="icon" href="data:image/png;base64,{png}">'],
      js: ["export const placeholderImage = 'data:image/png;base64,{png}';"],
      ts: ["export const {noun}Icon = 'data:image/svg+xml;base64,{svg}';"],
      markdown: ['![{noun} logo](data:image/png;base64,{png})'],
      python: ['LOGO_PNG = base64.b64decode("{png}")'],
    },
  },
  {
    kind: 'minified bundles', family: 'encoded', mode: 'raw',
    raw: { 'minified-js': (g) => minifiedBundle(g) },
  },
  {
    kind: 'source maps', family: 'encoded', mode: 'raw',
    raw: { 'source-map': (g) => sourceMap(g) },
  },
  {
    kind: 'notebook image outputs', family: 'encoded', mode: 'raw',
    raw: {
      'jupyter-notebook': (g) =>
        `  {\n   "cell_type": "code",\n   "execution_count": ${g.rng.range(2, 40)},\n   "metadata": {},\n   "outputs": [\n    {\n     "data": {\n      "image/png": "${pngBase64(g, g.rng.range(600, 3000))}",\n      "text/plain": [\n       "<Figure size 640x480 with 1 Axes>"\n      ]\n     },\n     "output_type": "display_data"\n    }\n   ],\n   "source": [\n    "df.plot()"\n   ]\n  }`,
    },
  },
  {
    kind: 'base64 blobs under names', family: 'encoded', mode: 'literal',
    make: named([['icon'], ['logo', 'png'], ['favicon'], ['thumbnail']], (g) => pngBase64(g, g.rng.range(60, 300))),
  },

  // ── encrypted values ──
  {
    kind: 'SOPS-encrypted values', family: 'encrypted', mode: 'literal', kinds: ['dotenv', 'app-config-yaml', 'config-json', 'helm-values', 'k8s-secret-stringdata'],
    make: named(ANY_SECRET_NAMES, (g) => sopsValue(g)),
  },
  {
    kind: 'SOPS-encrypted files', family: 'encrypted', mode: 'raw',
    raw: { 'sops-yaml': (g) => `${pick(g, ANY_SECRET_NAMES).join('_')}: ${sopsValue(g)}` },
  },
  {
    kind: 'ansible-vault', family: 'encrypted', mode: 'raw',
    raw: {
      'ansible-vars': (g) => `${pick(g, ANY_SECRET_NAMES).join('_')}: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n${vaultLines(g, 5, '  ')}`,
      'ansible-vault-file': (g) => `$ANSIBLE_VAULT;1.1;AES256\n${vaultLines(g, 12, '')}`,
    },
  },
  {
    kind: 'sealed-secrets', family: 'encrypted', mode: 'raw',
    raw: { 'sealed-secret': (g) => `    ${pick(g, ANY_SECRET_NAMES).join('-')}: Ag${pick(g, ['A', 'B', 'C'])}${b64(g, g.rng.range(600, 720))}==` },
  },
  {
    kind: 'Jasypt ENC(...)', family: 'encrypted', mode: 'literal', kinds: ['java-properties', 'spring-yaml', 'app-config-yaml'],
    make: named(ANY_SECRET_NAMES, (g) => `ENC(${b64(g, 4 * g.rng.range(8, 16))})`),
  },
  {
    kind: 'Rails encrypted credentials', family: 'encrypted', mode: 'raw',
    raw: { 'rails-credentials-enc': (g) => `${randomBase64(g, g.rng.range(200, 900))}--${randomBase64(g, 12)}--${randomBase64(g, 16)}` },
  },
  {
    kind: 'KMS / Vault ciphertext', family: 'encrypted', mode: 'literal', kinds: ['terraform', 'tfvars', 'app-config-yaml', 'config-json', 'dotenv', 'helm-values'],
    make: (g) =>
      g.rng.chance(0.6)
        ? { words: pick(g, [['encrypted', 'password'], ['ciphertext'], ['payload'], ['encrypted', 'api', 'key']]), value: `AQICAHh${randomBase64(g, g.rng.range(150, 220)).replace(/=+$/, '')}` }
        : { words: pick(g, [['encrypted', 'token'], ['db', 'password', 'ciphertext']]), value: `vault:v1:${randomBase64(g, 48)}` },
  },
  {
    kind: 'encrypted messages (PGP, age)', family: 'encrypted', mode: 'block',
    make: named([['encrypted', 'secrets'], ['backup', 'key'], ['payload']], (g) => (g.rng.chance(0.5) ? armoured(g, 'PGP MESSAGE', 8, ['', '']) : armoured(g, 'AGE ENCRYPTED FILE', 4))),
  },

  // ── references to where the secret really is ──
  {
    kind: 'env lookups in code', family: 'reference', mode: 'expr', names: ANY_SECRET_NAMES,
    byLang: {
      python: ['os.environ["{NAME}"]', 'os.getenv("{NAME}")', 'os.environ.get("{NAME}", "")'],
      js: ['process.env.{NAME}', "process.env['{NAME}'] ?? ''"],
      ts: ['process.env.{NAME}!', 'import.meta.env.VITE_{NAME}'],
      go: ['os.Getenv("{NAME}")'],
      java: ['System.getenv("{NAME}")'],
      kotlin: ['System.getenv("{NAME}") ?: ""'],
      csharp: ['Environment.GetEnvironmentVariable("{NAME}")'],
      ruby: ['ENV["{NAME}"]', 'ENV.fetch("{NAME}")'],
      php: ["getenv('{NAME}')", "$_ENV['{NAME}'] ?? ''"],
      swift: ['ProcessInfo.processInfo.environment["{NAME}"] ?? ""'],
      rust: ['env!("{NAME}")'],
      dart: ["String.fromEnvironment('{NAME}')"],
      elixir: ['System.fetch_env!("{NAME}")'],
      groovy: ["credentials('{name-k}')", "System.getenv('{NAME}')"],
      shell: ['"${{NAME}:?missing {NAME}}"', '"$(cat /run/secrets/{name})"'],
      powershell: ['(Get-Secret -Name {NameP} -AsPlainText)'],
      make: ['$(shell cat .secrets/{name})'],
      hcl: ['var.{name}'],
      http: ['{{{nameC}}}'],
      markdown: ['"$(op read op://prod/{noun}/{name-k})"'],
      docker: ['${{NAME}}'],
      sql: [":'{name}'"],
    },
  },
  {
    kind: 'config / secret-store lookups in code', family: 'reference', mode: 'expr', names: ANY_SECRET_NAMES,
    byLang: {
      python: ['config.get("{name}")', 'settings.{NAME}', 'self.config["{sec}"]["{rest}"]', 'vault_client.secrets.kv.read_secret_version(path="{noun}")["data"]["data"]["{name}"]'],
      js: ["config.get('{sec}.{restC}')", 'options.{nameC}'],
      ts: ["this.configService.get<string>('{NAME}')", "await secrets.getSecretValue({ SecretId: '{noun}/{name-k}' })"],
      go: ['viper.GetString("{name.d}")'],
      java: ['config.getString("{name.d}")'],
      kotlin: ['BuildConfig.{NAME}'],
      csharp: ['Configuration["{Sec}:{RestP}"]'],
      ruby: ['Rails.application.credentials.dig(:{sec}, :{rest})'],
      php: ["config('{sec}.{rest}')"],
      swift: ['Bundle.main.object(forInfoDictionaryKey: "{NameP}") as? String ?? ""'],
      dart: ["dotenv.env['{NAME}']!"],
      elixir: ['Application.get_env(:{noun}, :{name})'],
      groovy: ["project.findProperty('{nameC}')"],
      hcl: ['data.aws_secretsmanager_secret_version.{noun}.secret_string', 'random_password.{noun}.result', 'data.vault_generic_secret.{noun}.data["{name}"]'],
    },
  },
  {
    kind: 'secret-manager references', family: 'reference', mode: 'literal',
    make: named(ANY_SECRET_NAMES, (g) =>
      pick(g, [
        'op://prod/{noun}/{name-k}',
        'vault:secret/data/{noun}#{name}',
        '@Microsoft.KeyVault(SecretUri=https://{noun}-kv.vault.azure.net/secrets/{name-k}/)',
        'projects/{noun}-prod/secrets/{name-k}/versions/latest',
        '{{resolve:secretsmanager:{noun}/{name-k}:SecretString:value}}',
        'ref+vault://secret/{noun}#/{name}',
        'sm://{noun}-prod/{name-k}',
        '/run/secrets/{name}',
        'ssm:/{noun}/prod/{name-k}',
      ]),
    ),
  },
  {
    kind: 'Kubernetes secretKeyRef', family: 'reference', mode: 'raw',
    raw: { 'k8s-deployment': (g) => { const n = pick(g, ANY_SECRET_NAMES); return `            - name: ${n.join('_').toUpperCase()}\n              valueFrom:\n                secretKeyRef:\n                  name: ${noun(g)}-secrets\n                  key: ${n.join('-')}`; } },
  },
  {
    kind: 'file paths to keys and credentials', family: 'reference', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['private', 'key', 'path'], value: `/etc/ssl/private/${noun(g)}.key` },
      { words: ['google', 'application', 'credentials'], value: '/var/secrets/google/key.json' },
      { words: ['ssh', 'key'], value: '~/.ssh/id_ed25519' },
      { words: ['credentials', 'file'], value: '~/.aws/credentials' },
      { words: ['tls', 'key', 'file'], value: `certs/${noun(g)}-key.pem` },
      { words: ['db', 'password', 'file'], value: '/run/secrets/db_password' },
      { words: ['token', 'file'], value: `./tokens/${noun(g)}.json` },
    ]),
  },

  // ── code that names credentials ──
  {
    kind: 'calls and variables', family: 'code', mode: 'expr', names: ANY_SECRET_NAMES,
    byLang: {
      python: ['get_{name}()', 'request.form["{name}"]', 'secrets.token_urlsafe(32)', 'getpass.getpass("{NameP}: ")', 'response.json()["{name}"]'],
      js: ['await get{NameP}()', 'req.body.{nameC}', "crypto.randomBytes(32).toString('hex')", "localStorage.getItem('{name}')"],
      ts: ['await this.{nameC}Provider.get()', 'session?.user?.{nameC} ?? null'],
      go: ['cfg.{NameP}', 'r.FormValue("{name}")'],
      java: ['user.get{NameP}()', 'request.getParameter("{name}")'],
      kotlin: ['prefs.getString("{name}", null)'],
      csharp: ['await _{nameC}Service.Get{NameP}Async()'],
      ruby: ['SecureRandom.hex(32)', 'params[:{name}]'],
      php: ["$_POST['{name}']", 'bin2hex(random_bytes(32))'],
      swift: ['try keychain.get("{name}")'],
      dart: ["await storage.read(key: '{name}')"],
    },
  },
  {
    kind: 'schemas, models, types', family: 'code', mode: 'code', names: ANY_SECRET_NAMES,
    byLang: {
      python: ['class {Noun}Settings(BaseSettings):\n    {name}: SecretStr\n    timeout: int = 30', '{name} = models.CharField(max_length=128)'],
      js: ["const {noun}Schema = new Schema({ {nameC}: { type: String, required: true, select: false } });"],
      ts: ['export interface {Noun}Credentials {\n  {nameC}: string;\n  expiresAt?: Date;\n}', 'const schema = z.object({ {nameC}: z.string().min(12) });'],
      go: ['type {Noun}Config struct {\n\t{NameP} string `json:"{name}" yaml:"{name}"`\n}'],
      java: ['@Column(name = "{name}", nullable = false)\nprivate String {nameC};'],
      csharp: ['public string {NameP} { get; set; } = string.Empty;'],
      kotlin: ['data class {Noun}Credentials(val {nameC}: String)'],
      ruby: ['t.string :encrypted_{name}, null: false, default: ""'],
      php: ["$rules = ['{name}' => 'required|string|min:12'];"],
      sql: ['CREATE TABLE {noun}_credentials (\n    id UUID PRIMARY KEY,\n    {name}_hash VARCHAR(255) NOT NULL\n);'],
      rust: ['pub struct {Noun}Config {\n    pub {name}: String,\n}'],
      swift: ['struct {Noun}Credentials: Codable {\n    let {nameC}: String\n}'],
      dart: ['class {Noun}Credentials {\n  final String {nameC};\n  const {Noun}Credentials(this.{nameC});\n}'],
      html: ['  <input type="password" name="{name}" autocomplete="current-password" required>'],
    },
  },
  {
    kind: 'names held as values', family: 'code', mode: 'literal', kinds: [...CODE_KINDS, ...CONFIG_KINDS],
    make: (g) => pick(g, [
      { words: ['password', 'field'], value: 'password' },
      { words: ['token', 'storage', 'key'], value: 'auth_token' },
      { words: ['api', 'key', 'header'], value: 'X-API-Key' },
      { words: ['token', 'type'], value: 'Bearer' },
      { words: ['grant', 'type'], value: 'client_credentials' },
      { words: ['secret', 'name'], value: 'prod/{noun}/api-key' },
      { words: ['session', 'token', 'cookie'], value: '__Secure-next-auth.session-token' },
      { words: ['csrf', 'header', 'name'], value: 'X-CSRF-Token' },
      { words: ['token', 'endpoint'], value: '/oauth/token' },
      { words: ['password', 'param'], value: 'passwd' },
    ]),
  },
  {
    kind: 'numeric settings', family: 'code', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['password', 'min', 'length'], value: '12' },
      { words: ['token', 'ttl', 'seconds'], value: '3600' },
      { words: ['max', 'tokens'], value: '4096' },
      { words: ['secret', 'rotation', 'days'], value: '90' },
      { words: ['password', 'reset', 'timeout'], value: '86400' },
      { words: ['token', 'expiry'], value: '15m' },
    ]),
  },
  {
    kind: 'ML / lexer "tokens"', family: 'code', mode: 'code',
    byLang: {
      python: [
        'tokenizer = AutoTokenizer.from_pretrained("{hfModel}")',
        'outputs = model.generate(**inputs, max_new_tokens=256, pad_token_id=tokenizer.eos_token_id)',
        'special_tokens = {"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<|pad|>"}',
        'completion = client.chat.completions.create(model="gpt-4o-mini", max_tokens=512, messages=messages)',
        'token = self.tokens[self.pos]\nif token.type == TokenType.STRING:\n    self.pos += 1',
      ],
      js: ['const { usage: { total_tokens: totalTokens } } = completion;', 'const tokens = encoder.encode(text).slice(0, maxTokens);'],
      ts: ['const tokenCount = encode(prompt).length + maxOutputTokens;'],
    },
  },
  {
    kind: 'UI strings about credentials', family: 'code', mode: 'raw',
    raw: {
      'i18n-json': (g) =>
        pick(g, [
          '  "password": "Password"',
          '  "forgotPassword": "Forgot your password?"',
          '  "tokenExpired": "Your session has expired. Please sign in again."',
          '  "apiKeyHelp": "Create an API key under Settings, then paste it here."',
          '  "secretLabel": "Client secret"',
          '  "passwordPlaceholder": "Passwort eingeben"',
          '  "tokenCopied": "Token copied to clipboard"',
          `  "apiKeys.create.success": "API key ${noun(g)} created"`,
        ]),
    },
  },

  // ── misc ──
  {
    kind: 'URLs without credentials', family: 'misc', mode: 'literal', slots: ['U', 'R'],
    make: (g) => pick(g, [
      { words: ['token', 'url'], value: 'https://oauth2.googleapis.com/token' },
      { words: ['auth', 'token', 'url'], value: `https://login.microsoftonline.com/${uuid(g)}/oauth2/v2.0/token` },
      { words: ['jwks', 'uri'], value: `https://${noun(g)}.eu.auth0.com/.well-known/jwks.json` },
      { words: ['repository'], value: `git@github.com:acme/${noun(g)}.git` },
      { words: ['database', 'url'], value: `postgres://db:5432/${noun(g)}` },
      { words: ['redis', 'url'], value: 'redis://redis:6379/0' },
      { words: ['mongo', 'url'], value: `mongodb://mongo:27017/${noun(g)}` },
      { words: ['git', 'url'], value: `https://ci-bot@bitbucket.org/acme/${noun(g)}.git` },
      { words: ['secrets', 'endpoint'], value: 'https://secretsmanager.eu-west-1.amazonaws.com' },
    ]),
  },
  {
    kind: 'version strings', family: 'misc', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['token', 'format', 'version'], value: `v${g.rng.range(1, 4)}` },
      { words: ['secrets', 'manager', 'version'], value: version(g) },
      { words: ['auth', 'token', 'lib', 'version'], value: `^${version(g)}` },
      { words: ['api', 'key', 'version'], value: `2024-${String(g.rng.range(1, 12)).padStart(2, '0')}-01` },
    ]),
  },
  {
    kind: 'colors and design tokens', family: 'misc', mode: 'raw',
    raw: {
      'design-tokens': (g) => `    "${noun(g)}-${g.rng.range(1, 9)}00": {\n      "value": "#${hex(g, 6)}",\n      "type": "color"\n    }`,
      css: (g) => `:root {\n  --color-token-primary: #${hex(g, 6)};\n  --secret-banner-bg: #${hex(g, 6)};\n  --token-radius: ${g.rng.range(2, 12)}px;\n}`,
    },
  },
  {
    kind: 'dependency names with "token"/"secret"', family: 'misc', mode: 'raw',
    raw: { 'package-json': (g) => `  "dependencies": {\n    "@octokit/auth-token": "^${version(g)}",\n    "js-tokens": "^${version(g)}",\n    "passport-http-bearer": "^1.0.1",\n    "secret-handshake": "^${version(g)}"\n  }` },
  },
  {
    kind: 'changelog entries', family: 'misc', mode: 'raw',
    raw: { changelog: (g) => `## ${version(g)} (2025-0${g.rng.range(1, 9)}-1${g.rng.range(0, 9)})\n\n- Rotate API tokens without downtime (${hex(g, 7)})\n- Fix password reset link expiry ([#${g.rng.range(100, 999)}](https://github.com/acme/${noun(g)}/pull/${g.rng.range(100, 999)}), ${hex(g, 40)})` },
  },

  // ── random-looking, not secret ──
  {
    kind: 'CI cache keys', family: 'random-nonsecret', mode: 'raw',
    raw: { 'github-actions': () => "      - uses: actions/cache@v4\n        with:\n          path: ~/.npm\n          key: ${{ runner.os }}-node-${{ hashFiles('**/package-lock.json') }}" },
  },
  {
    kind: 'ETags and cache keys', family: 'random-nonsecret', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['etag'], value: hex(g, 32) },
      { words: ['cache', 'key'], value: `v3-${noun(g)}-${hex(g, 40)}` },
      { words: ['cache', 'buster'], value: hex(g, 20) },
    ]),
  },
  {
    kind: 'nonces / state in tests', family: 'random-nonsecret', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['nonce'], value: randomBase64(g, 16) },
      { words: ['csp', 'nonce'], value: randomBase64(g, 18) },
      { words: ['oauth', 'state'], value: hex(g, 32) },
      { words: ['state'], value: 'af0ifjsldkj' },
      { words: ['nonce'], value: 'n-0S6_WzA2Mj' },
    ]),
  },
  {
    kind: 'CSRF tokens in HTML fixtures', family: 'random-nonsecret', mode: 'raw',
    raw: {
      'test-html-fixture': (g) =>
        pick(g, [
          `  <input type="hidden" name="csrf_token" value="${b64url(g, 43)}">`,
          `  <input type="hidden" name="csrfmiddlewaretoken" value="${alnum(g, 64)}">`,
          `  <input type="hidden" name="authenticity_token" value="${b64(g, 86)}==">`,
          `  <meta name="csrf-token" content="${b64url(g, 40)}">`,
        ]),
    },
  },
  {
    kind: 'build IDs and seeds', family: 'random-nonsecret', mode: 'literal',
    make: (g) => pick(g, [
      { words: ['build', 'id'], value: b64url(g, 21) },
      { words: ['release'], value: `${noun(g)}@${version(g)}+${hex(g, 7)}` },
      { words: ['random', 'seed'], value: `0x${hex(g, 8)}` },
      { words: ['deployment', 'id'], value: `dpl_${alnum(g, 28)}` },
    ]),
  },
  {
    kind: 'JWKS public keys', family: 'public', mode: 'raw',
    raw: { jwks: (g) => `    {\n      "kty": "RSA",\n      "kid": "${b64url(g, 43)}",\n      "use": "sig",\n      "alg": "RS256",\n      "n": "${b64url(g, 342)}",\n      "e": "AQAB"\n    }` },
  },
  {
    kind: 'known_hosts / authorized_keys', family: 'public', mode: 'raw',
    raw: { 'known-hosts': (g) => (g.rng.chance(0.5) ? `${noun(g)}.acme-corp.io ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${b64(g, 43)}` : `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ${b64(g, 500)}= ${noun(g)}@laptop`) },
  },
];

// ─── Generated files' content ─────────────────────────────────────────────────────────────────────

function sopsValue(g: NegContext): string {
  return `ENC[AES256_GCM,data:${randomBase64(g, g.rng.range(8, 48)).replace(/=+$/, '')},iv:${randomBase64(g, 32)},tag:${randomBase64(g, 16)},type:str]`;
}

function vaultLines(g: NegContext, lines: number, indent: string): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(indent + hex(g, 80));
  return out.join('\n');
}

/** The metadata block SOPS appends to every file it encrypts. */
export function sopsTrailer(g: NegContext): string {
  return `sops:\n    age:\n        - recipient: age1${g.rng.chars('qpzry9x8gf2tvdw0s3jn54khce6mua7l', 58)}\n          enc: |\n            -----BEGIN AGE ENCRYPTED FILE-----\n            ${b64(g, 64)}\n            ${b64(g, 64)}\n            ${b64(g, 40)}\n            -----END AGE ENCRYPTED FILE-----\n    lastmodified: "2025-03-12T10:11:12Z"\n    mac: ENC[AES256_GCM,data:${randomBase64(g, 64)},iv:${randomBase64(g, 32)},tag:${randomBase64(g, 16)},type:str]\n    unencrypted_suffix: _unencrypted\n    version: 3.9.1\n`;
}

/** One line of minified JavaScript, with the auth code, encoders and constants real bundles carry. */
function minifiedBundle(g: NegContext): string {
  const v = () => g.rng.chars(LOWER, g.rng.chance(0.7) ? 1 : 2);
  const parts: string[] = [`/*! ${noun(g)} v${version(g)} | MIT */!function(){"use strict";`];
  const segments = g.rng.range(120, 300);
  for (let i = 0; i < segments; i++) {
    const [a, b, c] = [v(), v(), v()];
    parts.push(
      pick(g, [
        `function ${v()}(${a},${b}){return ${a}.token?${b}(${a}.token):null}`,
        `${a}.headers={Authorization:"Bearer "+${b}.accessToken,"Content-Type":"application/json"};`,
        `${a}.exports={apiKey:void 0,password:"",secret:null,clientSecret:${c}.clientSecret};`,
        `var ${a}="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";`,
        `${a}=[1116352408,1899447441,3049323471,3921009573,961987163,1508970993,2453635748,2870763221];`,
        `${a}.src="data:image/svg+xml;base64,${randomBase64(g, g.rng.range(60, 400))}";`,
        `case ${g.rng.range(0, 99)}:return ${a}.password||${a}.${noun(g)};`,
        `var ${a}=${b}(${g.rng.range(1, 99999)}),${c}=${b}.n(${a});`,
        `${a}.prototype.refreshToken=function(${b}){var ${c}=this;return this.client.post("/oauth/token",{grant_type:"refresh_token",refresh_token:${b}})};`,
        `${g.rng.range(1, 99999)}:function(${a},${b},${c}){"use strict";${c}.d(${b},{${noun(g)}:function(){return ${v()}}})},`,
        `${a}.sri="sha384-${b64(g, 64)}";`,
        `${a}._id="${hex(g, 24)}",${b}.chunk="${hex(g, 20)}";`,
        `throw new Error("Invalid token: expected a string, got "+typeof ${a});`,
        `${a}.exports=JSON.parse('{"${noun(g)}":"${uuid(g)}","build":"${hex(g, 40)}"}');`,
      ]),
    );
  }
  parts.push('}();');
  return parts.join('');
}

function sourceMap(g: NegContext): string {
  const mappings: string[] = [];
  const count = g.rng.range(800, 2500);
  for (let i = 0; i < count; i++) mappings.push(g.rng.chars(B64, g.rng.range(4, 8)) + g.rng.pick([',', ',', ',', ';']));
  return `{"version":3,"file":"main.js","sources":["webpack://app/./src/auth/token.ts","webpack://app/./src/api/client.ts"],"names":["token","password","apiKey","clientSecret","getAccessToken"],"mappings":"${mappings.join('')}AAAA","sourceRoot":""}`;
}

export { hex as negHex, b64 as negB64, digits as negDigits, pngBase64 };
