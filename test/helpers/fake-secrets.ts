/**
 * Deterministic fake secrets for rule examples and test fixtures.
 *
 * Rule files never hold a secret-shaped literal: their examples say `<<fake:KIND>>`, and tests expand each
 * marker to a value of that shape (checksums included) drawn from a seeded PRNG, so the same seed gives the
 * same text and a failure reproduces. The values are random-looking on purpose: they mix character classes
 * and clear an entropy floor, so they pass the entropy gates a real token passes, and they never contain a
 * placeholder word or anything the global placeholder filter (src/detect/placeholders.ts) would drop. None
 * is a real credential: every random part comes from this PRNG, not from a provider.
 *
 * Kinds (arguments after the name, colon-separated):
 *
 *   alnum:N  lower:N  upper:N       N chars of A-Za-z0-9 / a-z0-9 / A-Z0-9
 *   hex:N  HEX:N  digits:N          N chars of 0-9a-f / 0-9A-F / 0-9
 *   base64:N  base64url:N           N chars of A-Za-z0-9+/ (no padding) / A-Za-z0-9_-
 *   letters:N                       N chars of A-Za-z
 *   github:PREFIX                   PREFIX_ + 30 alnum + 6-char base62 CRC32; PREFIX in ghp|gho|ghu|ghs|ghr
 *   github-fine-grained             github_pat_ + 22 alnum + _ + 59 alnum
 *   npm                             npm_ + 30 alnum + 6-char base62 CRC32
 *   aws-key-id[:PREFIX]             PREFIX (AKIA by default; ASIA, ABIA, ACCA) + 16 chars of A-Z2-7
 *   aws-secret                      40 chars of A-Za-z0-9+/
 *   pem:LABEL                       -----BEGIN LABEL----- / 20 lines of 64 base64 / a shorter last line / -----END LABEL-----
 *   pem-escaped:LABEL               the same block on one line with literal \n escapes, as in JSON (GCP key files)
 *   pem-legacy-encrypted[:LABEL]    an OpenSSL "traditional" encrypted block (Proc-Type and DEK-Info headers);
 *                                   LABEL defaults to RSA PRIVATE KEY
 *   pgp-private-key                 an ASCII-armoured PGP PRIVATE KEY BLOCK with its =CRC line
 *   password:N                      N chars of letters, digits and !@#%^*-_+ (at least one of each when N >= 8);
 *                                   never quotes, spaces, $ or backslash; starts with a letter or digit
 *   url-password:N                  like password, with URI-safe symbols only (-_.~!*), for user:pass@ URIs
 *   gitlab-routable:PREFIX          GitLab's routable token: PREFIX + base64url(16 random bytes + routing
 *                                   payload + its length) + .01. + base36 payload length (2) + base36 CRC32 (7)
 *   slack:xoxb | slack:xoxp | slack:xapp
 *                                   bot xoxb-D-D-24 alnum; user xoxp-D-D-D-32 hex; app-level xapp-1-A…-D-64 hex
 *   slack-webhook                   https://hooks.slack.com/services/T…/B…/24 alnum
 *   discord-webhook                 https://discord.com/api/webhooks/<snowflake>/<68 base64url>
 *   telegram-bot                    <bot id>:AA + 33 base64url
 *   sendgrid                        SG. + 22 base64url + . + 43 base64url
 *   openai:proj | openai:svcacct | openai:admin | openai:legacy
 *                                   sk-proj-/sk-svcacct- + 74 + T3BlbkFJ + 74; sk-admin- + 58 + T3BlbkFJ + 58;
 *                                   legacy sk- + 20 alnum + T3BlbkFJ + 20 alnum
 *   anthropic:api03 | anthropic:admin01
 *                                   sk-ant-api03-/sk-ant-admin01- + 93 base64url + AA
 *   uuid                            a lower-case version 4 UUID
 *   mailgun-key                     32 hex + - + 8 hex + - + 8 hex (Mailgun's current key shape)
 *   bech32:HRP[:BYTES]              BIP-173 bech32: HRP + 1 + BYTES (default 32) random bytes in 5-bit groups +
 *                                   6-character checksum, lower case (age1…: "bech32:age")
 *   BECH32:HRP[:BYTES]              the same, upper case
 *   age-identity                    what follows AGE-SECRET-KEY-1 in an age identity: 32 bytes and the
 *                                   checksum over HRP age-secret-key-, upper case (58 characters); the
 *                                   prefix stays in the template, where the placeholder check allows "SECRET"
 *   wireguard-key                   a Curve25519 private key as wg genkey prints it: 32 clamped bytes, base64
 *                                   (44 characters ending in =)
 *   crypt[:ID[:COST]]               a crypt(3) hash: ID 6 (default; sha512crypt), 5, 1 (md5crypt), apr1, y
 *                                   (yescrypt) or 2b/2y/2a (bcrypt, COST default 12); salt and hash in crypt's
 *                                   ./0-9A-Za-z alphabet, last character limited to the bits it carries
 *   basic-auth[:USER]               base64 of USER:password (USER drawn from a list by default), as in an
 *                                   Authorization: Basic header or a Docker config.json auth
 *   discord-bot                     base64 of a 17-19 digit user id (so it starts MT…/Nj…/OT…) + . + 6
 *                                   base64url (timestamp) + . + 38 base64url (HMAC)
 *   sentry-org                      sntrys_ + base64 of the JSON payload ({"iat":…,"url":…,"region_url":…,
 *                                   "org":…}) + _ + 43 base64
 *
 * Unknown kinds and malformed arguments throw.
 */
import { shannonEntropy } from '../../src/detect/entropy.js';
import { isPlaceholder } from '../../src/detect/placeholders.js';
import { base62Crc32Checksum, crc32 } from '../../src/detect/validators/checksum.js';
import { Rng } from './random.js';

export interface Faker {
  /** One value of `kind`; advances the generator. */
  make(kind: string): string;
  /** `template` with every `<<fake:KIND>>` replaced by make(KIND); `secrets` are the values in marker order. */
  expand(template: string): { text: string; secrets: string[] };
}

/** A fake-secret marker; group 1 is the kind. Global, so `text.replace(FAKE_MARKER, …)` replaces all. */
export const FAKE_MARKER = /<<fake:([^>]+)>>/g;

const DEFAULT_SEED = 0x5ec7e75;

export function createFaker(seed: number = DEFAULT_SEED): Faker {
  const random = new Rng(seed);
  const make = (kind: string): string => {
    const [name = '', ...rest] = kind.split(':');
    const generate = Object.hasOwn(GENERATORS, name) ? GENERATORS[name] : undefined;
    if (!generate) throw new Error(`unknown fake-secret kind "${kind}"; see the list in test/helpers/fake-secrets.ts`);
    // Words can straddle the parts of a composite value, so the whole value is checked as well.
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const value = generate(random, rest, kind);
      if (!looksLikePlaceholder(value)) return value;
    }
    throw new Error(`fake-secret kind "${kind}" keeps producing placeholder-looking values; check its arguments`);
  };
  return {
    make,
    expand(template) {
      const secrets: string[] = [];
      const text = template.replace(new RegExp(FAKE_MARKER.source, 'g'), (_marker, kind: string) => {
        const value = make(kind);
        secrets.push(value);
        return value;
      });
      return { text, secrets };
    },
  };
}


const MAX_ATTEMPTS = 1000;

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

/** A character set and the classes a long enough draw must contain at least once. */
interface Alphabet {
  chars: string;
  classes: string[];
}

const ALPHABETS = {
  alnum: { chars: UPPER + LOWER + DIGITS, classes: [UPPER, LOWER, DIGITS] },
  lower: { chars: LOWER + DIGITS, classes: [LOWER, DIGITS] },
  upper: { chars: UPPER + DIGITS, classes: [UPPER, DIGITS] },
  hex: { chars: '0123456789abcdef', classes: ['abcdef', DIGITS] },
  HEX: { chars: '0123456789ABCDEF', classes: ['ABCDEF', DIGITS] },
  digits: { chars: DIGITS, classes: [] },
  base64: { chars: `${UPPER}${LOWER}${DIGITS}+/`, classes: [UPPER, LOWER, DIGITS] },
  base64url: { chars: `${UPPER}${LOWER}${DIGITS}-_`, classes: [UPPER, LOWER, DIGITS] },
  letters: { chars: UPPER + LOWER, classes: [UPPER, LOWER] },
  awsBase32: { chars: `${UPPER}234567`, classes: [UPPER, '234567'] },
} satisfies Record<string, Alphabet>;

/** Share of the highest entropy a draw can have (log2 of its length or alphabet) that it must reach. */
const ENTROPY_FLOOR = 0.8;

/** Draws shorter than this are too short to be asked for every class or an entropy floor. */
const MIN_CHECKED_LENGTH = 8;

/**
 * Words that make a value look like a placeholder to a reader or to a rule's stopwords, on top of the
 * global filter's own list (isPlaceholder).
 */
const AVOIDED_WORDS = ['example', 'test', 'fake', 'dummy', 'sample', 'xxxx', 'changeme', 'placeholder', 'redacted', 'password', 'passwd', 'secret', 'token', 'your'];

/** Runs of one character are checked per random part (draw), since PEM armour has "-----" by design. */
function looksLikePlaceholder(value: string): boolean {
  if (isPlaceholder(value)) return true;
  const lower = value.toLowerCase();
  return AVOIDED_WORDS.some((word) => lower.includes(word));
}

/**
 * `length` characters of `alphabet`, redrawn until it has every class and an entropy of at least 0.8 of
 * the most its length and alphabet allow: 3.2 bits for 16 hex characters or a 16-character password, 4.1
 * for 36 alphanumerics. Most random draws clear it; it rejects the clumpy ones a rule's entropy gate
 * could drop.
 */
function draw(random: Rng, alphabet: Alphabet, length: number): string {
  const floor = ENTROPY_FLOOR * Math.log2(Math.min(length, alphabet.chars.length));
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let value = '';
    for (let i = 0; i < length; i++) value += random.char(alphabet.chars);
    if (length < MIN_CHECKED_LENGTH) return value;
    if (!alphabet.classes.every((chars) => [...value].some((char) => chars.includes(char)))) continue;
    if (shannonEntropy(value) < floor) continue;
    if (/(.)\1\1\1/.test(value)) continue;
    return value;
  }
  throw new Error(`cannot draw ${length} characters from "${alphabet.chars}"`);
}

function lengthArgument(kind: string, value: string | undefined): number {
  const length = Number(value);
  if (!Number.isInteger(length) || length < 1 || length > 100_000) {
    throw new Error(`fake-secret kind "${kind}" needs a length, as in "${kind.split(':')[0]}:32"`);
  }
  return length;
}

function oneOf<T extends string>(kind: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined || !(allowed as readonly string[]).includes(value)) {
    throw new Error(`fake-secret kind "${kind}" needs one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** Digits with a non-zero first digit, for numeric ids. */
function numericId(random: Rng, length: number): string {
  return random.char('123456789') + draw(random, ALPHABETS.digits, length - 1);
}

const PASSWORD_SYMBOLS = '!@#%^*-_+';
const URL_PASSWORD_SYMBOLS = '-_.~!*';

/**
 * A human-style strong password: mostly letters, some digits and symbols, starting with a letter or digit
 * (a leading symbol reads like syntax to some rules). Long enough ones get every class at least once.
 */
function password(random: Rng, length: number, symbols: string): string {
  const letters = UPPER + LOWER;
  const floor = ENTROPY_FLOOR * Math.log2(Math.min(length, letters.length + DIGITS.length + symbols.length));
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let value = random.char(letters + DIGITS);
    while (value.length < length) {
      const roll = random.int(10);
      value += roll < 2 ? random.char(symbols) : roll < 4 ? random.char(DIGITS) : random.char(letters);
    }
    if (length < MIN_CHECKED_LENGTH) return value;
    const classes = [UPPER, LOWER, DIGITS, symbols];
    if (!classes.every((chars) => [...value].some((char) => chars.includes(char)))) continue;
    if (shannonEntropy(value) < floor) continue;
    if (/(.)\1\1\1/.test(value)) continue;
    return value;
  }
  throw new Error(`cannot make a ${length}-character password`);
}

/** 20 full lines of base64 and a shorter, padded last one, as a DER key of ~1 KB encodes. */
function pemBody(random: Rng): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) lines.push(draw(random, ALPHABETS.base64, 64));
  const padding = random.int(3);
  lines.push(draw(random, ALPHABETS.base64, 4 * random.range(4, 12) - padding) + '='.repeat(padding));
  return lines;
}

function pemLabel(kind: string, rest: string[]): string {
  const label = rest.join(':');
  if (!/^[A-Z0-9][A-Z0-9 ]*$/.test(label)) throw new Error(`fake-secret kind "${kind}" needs a PEM label, as in "pem:RSA PRIVATE KEY"`);
  return label;
}

function pemBlock(random: Rng, label: string, newline: string): string {
  return [`-----BEGIN ${label}-----`, ...pemBody(random), `-----END ${label}-----`].join(newline);
}

function base64url(bytes: number[]): string {
  return Buffer.from(bytes).toString('base64url');
}

/**
 * GitLab's routable token (lib/authn/token_field/generator/routable_token.rb): random bytes and a routing
 * payload ("o:<org>\nu:<user>" in base 36) in unpadded base64url, a version, the encoded length, and a
 * CRC32 of everything before it in base 36.
 */
function gitlabRoutable(random: Rng, prefix: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) bytes.push(random.int(256));
  const payload = `o:${random.range(1, 0xfffff).toString(36)}\nu:${random.range(1, 0xffffff).toString(36)}`;
  for (const char of payload) bytes.push(char.charCodeAt(0));
  bytes.push(payload.length);
  const encoded = base64url(bytes);
  const body = `${prefix}${encoded}.01.${encoded.length.toString(36).padStart(2, '0')}`;
  return body + crc32(body).toString(36).padStart(7, '0');
}

type Generator = (random: Rng, args: string[], kind: string) => string;

function randomBytes(random: Rng, count: number): number[] {
  return Array.from({ length: count }, () => random.int(256));
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BECH32_GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/** BIP-173's checksum function over 5-bit values. */
function bech32Polymod(values: readonly number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = (((checksum & 0x1ffffff) << 5) ^ value) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) checksum = (checksum ^ BECH32_GENERATOR[i]!) >>> 0;
  }
  return checksum;
}

function hrpArgument(kind: string, hrp: string | undefined): string {
  if (!hrp || !/^[a-z!-@[-`{-~]+$/i.test(hrp)) throw new Error(`fake-secret kind "${kind}" needs a human-readable part, as in "bech32:age"`);
  return hrp.toLowerCase();
}

/** `bytes` random bytes regrouped into 5-bit values, with BIP-173's checksum over HRP and data. */
function bech32(random: Rng, hrp: string, bytes: number): string {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const data: number[] = [];
    let accumulator = 0;
    let bits = 0;
    for (const byte of randomBytes(random, bytes)) {
      accumulator = (accumulator << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        data.push((accumulator >>> bits) & 31);
      }
      accumulator &= (1 << bits) - 1;
    }
    if (bits > 0) data.push((accumulator << (5 - bits)) & 31);
    const expanded = [...hrp].map((c) => c.charCodeAt(0) >> 5).concat([0], [...hrp].map((c) => c.charCodeAt(0) & 31));
    const polymod = bech32Polymod([...expanded, ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
    const checksum = Array.from({ length: 6 }, (_, i) => (polymod >>> (5 * (5 - i))) & 31);
    const encoded = [...data, ...checksum].map((value) => BECH32_CHARSET[value]).join('');
    if (!/(.)\1\1\1/.test(encoded)) return `${hrp}1${encoded}`;
  }
  throw new Error('cannot make a bech32 value');
}

const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CRYPT = { chars: CRYPT_ALPHABET, classes: [UPPER, LOWER, DIGITS] } satisfies Alphabet;
/** bcrypt's alphabet orders ./A-Za-z0-9: its last salt and hash characters carry 2 and 4 bits. */
const BCRYPT = { chars: './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', classes: [UPPER, LOWER, DIGITS] } satisfies Alphabet;

/**
 * `length` crypt characters whose last one encodes only `lastBits` bits (the digest's leftover): the low
 * bits in crypt's little-endian encoding (sha-crypt, md5crypt, yescrypt), the high bits in bcrypt's.
 */
function cryptDigest(random: Rng, alphabet: Alphabet, length: number, lastBits: number): string {
  const body = draw(random, alphabet, length - 1);
  const value = random.int(1 << lastBits);
  return body + alphabet.chars[alphabet === BCRYPT ? value << (6 - lastBits) : value]!;
}

function cryptHash(random: Rng, id: string, cost: string | undefined, kind: string): string {
  switch (id) {
    case '6':
      return `$6$${draw(random, CRYPT, 16)}$${cryptDigest(random, CRYPT, 86, 2)}`;
    case '5':
      return `$5$${draw(random, CRYPT, 16)}$${cryptDigest(random, CRYPT, 43, 4)}`;
    case '1':
    case 'apr1':
      return `$${id}$${draw(random, CRYPT, 8)}$${cryptDigest(random, CRYPT, 22, 2)}`;
    case 'y':
      return `$y$j9T$${draw(random, CRYPT, 22)}$${cryptDigest(random, CRYPT, 43, 4)}`;
    case '2a':
    case '2b':
    case '2y': {
      const rounds = cost === undefined ? 12 : Number(cost);
      if (!Number.isInteger(rounds) || rounds < 4 || rounds > 31) throw new Error(`fake-secret kind "${kind}" needs a bcrypt cost from 4 to 31`);
      // Salt: 16 bytes in 22 characters (the last carries 2 bits); hash: 23 bytes in 31 (the last carries 4).
      const lastBits = (chars: number, bytes: number) => 6 - (chars * 6 - bytes * 8);
      const salt = cryptDigest(random, BCRYPT, 22, lastBits(22, 16));
      const hash = cryptDigest(random, BCRYPT, 31, lastBits(31, 23));
      return `$${id}$${String(rounds).padStart(2, '0')}$${salt}${hash}`;
    }
    default:
      throw new Error(`fake-secret kind "${kind}" needs a crypt id: 6, 5, 1, apr1, y, 2a, 2b or 2y`);
  }
}

const BASIC_AUTH_USERS = ['deploy', 'ci-bot', 'jenkins', 'svc-billing', 'metrics', 'registry-pull'];
const ORG_WORDS = ['acme', 'northwind', 'globex', 'initech', 'umbrella', 'hooli', 'vandelay', 'stark', 'wayne', 'tyrell'];

const GITHUB_PREFIXES = ['ghp', 'gho', 'ghu', 'ghs', 'ghr'] as const;

const GENERATORS: Record<string, Generator> = {
  alnum: (r, [n], kind) => draw(r, ALPHABETS.alnum, lengthArgument(kind, n)),
  lower: (r, [n], kind) => draw(r, ALPHABETS.lower, lengthArgument(kind, n)),
  upper: (r, [n], kind) => draw(r, ALPHABETS.upper, lengthArgument(kind, n)),
  hex: (r, [n], kind) => draw(r, ALPHABETS.hex, lengthArgument(kind, n)),
  HEX: (r, [n], kind) => draw(r, ALPHABETS.HEX, lengthArgument(kind, n)),
  digits: (r, [n], kind) => draw(r, ALPHABETS.digits, lengthArgument(kind, n)),
  base64: (r, [n], kind) => draw(r, ALPHABETS.base64, lengthArgument(kind, n)),
  base64url: (r, [n], kind) => draw(r, ALPHABETS.base64url, lengthArgument(kind, n)),
  letters: (r, [n], kind) => draw(r, ALPHABETS.letters, lengthArgument(kind, n)),

  github: (r, [prefix], kind) => {
    const random = draw(r, ALPHABETS.alnum, 30);
    return `${oneOf(kind, prefix, GITHUB_PREFIXES)}_${random}${base62Crc32Checksum(random)}`;
  },
  'github-fine-grained': (r) => `github_pat_${draw(r, ALPHABETS.alnum, 22)}_${draw(r, ALPHABETS.alnum, 59)}`,
  npm: (r) => {
    const random = draw(r, ALPHABETS.alnum, 30);
    return `npm_${random}${base62Crc32Checksum(random)}`;
  },
  'aws-key-id': (r, [prefix = 'AKIA'], kind) =>
    oneOf(kind, prefix, ['AKIA', 'ASIA', 'ABIA', 'ACCA'] as const) + draw(r, ALPHABETS.awsBase32, 16),
  'aws-secret': (r) => draw(r, ALPHABETS.base64, 40),

  pem: (r, rest, kind) => pemBlock(r, pemLabel(kind, rest), '\n'),
  'pem-escaped': (r, rest, kind) => pemBlock(r, pemLabel(kind, rest), '\\n'),
  'pem-legacy-encrypted': (r, rest, kind) => {
    const label = rest.length > 0 ? pemLabel(kind, rest) : 'RSA PRIVATE KEY';
    const headers = ['Proc-Type: 4,ENCRYPTED', `DEK-Info: AES-256-CBC,${draw(r, ALPHABETS.HEX, 32)}`, ''];
    return [`-----BEGIN ${label}-----`, ...headers, ...pemBody(r), `-----END ${label}-----`].join('\n');
  },
  'pgp-private-key': (r) => {
    const checksum = `=${draw(r, ALPHABETS.base64, 4)}`;
    return ['-----BEGIN PGP PRIVATE KEY BLOCK-----', '', ...pemBody(r), checksum, '-----END PGP PRIVATE KEY BLOCK-----'].join('\n');
  },

  password: (r, [n], kind) => password(r, lengthArgument(kind, n), PASSWORD_SYMBOLS),
  'url-password': (r, [n], kind) => password(r, lengthArgument(kind, n), URL_PASSWORD_SYMBOLS),

  'gitlab-routable': (r, [prefix], kind) => {
    if (!prefix || !/^gl[a-z]+-(?:t\d_)?$/.test(prefix)) {
      throw new Error(`fake-secret kind "${kind}" needs a GitLab prefix, as in "gitlab-routable:glpat-"`);
    }
    return gitlabRoutable(r, prefix);
  },

  slack: (r, [type], kind) => {
    switch (oneOf(kind, type, ['xoxb', 'xoxp', 'xapp'] as const)) {
      case 'xoxb':
        return `xoxb-${numericId(r, r.range(10, 13))}-${numericId(r, r.range(10, 13))}-${draw(r, ALPHABETS.alnum, 24)}`;
      case 'xoxp':
        return `xoxp-${numericId(r, r.range(10, 13))}-${numericId(r, r.range(10, 13))}-${numericId(r, r.range(10, 13))}-${draw(r, ALPHABETS.hex, 32)}`;
      case 'xapp':
        return `xapp-1-A${draw(r, ALPHABETS.upper, 10)}-${numericId(r, 13)}-${draw(r, ALPHABETS.hex, 64)}`;
    }
  },
  'slack-webhook': (r) =>
    `https://hooks.slack.com/services/T${draw(r, ALPHABETS.upper, r.range(8, 10))}/B${draw(r, ALPHABETS.upper, r.range(8, 10))}/${draw(r, ALPHABETS.alnum, 24)}`,
  'discord-webhook': (r) => `https://discord.com/api/webhooks/${numericId(r, r.range(18, 19))}/${draw(r, ALPHABETS.base64url, 68)}`,
  'telegram-bot': (r) => `${numericId(r, r.range(9, 10))}:AA${draw(r, ALPHABETS.base64url, 33)}`,
  sendgrid: (r) => `SG.${draw(r, ALPHABETS.base64url, 22)}.${draw(r, ALPHABETS.base64url, 43)}`,

  openai: (r, [type], kind) => {
    const marker = 'T3BlbkFJ'; // "OpenAI" in base64, in the middle of every OpenAI key
    switch (oneOf(kind, type, ['proj', 'svcacct', 'admin', 'legacy'] as const)) {
      case 'proj':
        return `sk-proj-${draw(r, ALPHABETS.base64url, 74)}${marker}${draw(r, ALPHABETS.base64url, 74)}`;
      case 'svcacct':
        return `sk-svcacct-${draw(r, ALPHABETS.base64url, 74)}${marker}${draw(r, ALPHABETS.base64url, 74)}`;
      case 'admin':
        return `sk-admin-${draw(r, ALPHABETS.base64url, 58)}${marker}${draw(r, ALPHABETS.base64url, 58)}`;
      case 'legacy':
        return `sk-${draw(r, ALPHABETS.alnum, 20)}${marker}${draw(r, ALPHABETS.alnum, 20)}`;
    }
  },
  anthropic: (r, [type], kind) => `sk-ant-${oneOf(kind, type, ['api03', 'admin01'] as const)}-${draw(r, ALPHABETS.base64url, 93)}AA`,

  uuid: (r) => {
    const hex = draw(r, ALPHABETS.hex, 30);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(12, 15)}-${r.char('89ab')}${hex.slice(15, 18)}-${hex.slice(18, 30)}`;
  },
  'mailgun-key': (r) => `${draw(r, ALPHABETS.hex, 32)}-${draw(r, ALPHABETS.hex, 8)}-${draw(r, ALPHABETS.hex, 8)}`,

  /**
   * `jwt` (an HS256 user token), `jwt:service_role` / `jwt:anon` (Supabase-style keys), `jwt:expired`
   * (exp in the past): header and claims are real JSON, the signature 43 random base64url characters.
   */
  jwt: (r, [variant]) => {
    const now = 1_767_225_600; // 2026-01-01, fixed so output is deterministic
    const claims: Record<string, unknown> =
      variant === 'service_role' || variant === 'anon'
        ? { iss: 'supabase', ref: draw(r, ALPHABETS.lower, 20), role: variant, iat: now - r.int(1e7), exp: now + 3e8 }
        : { sub: String(r.range(1e6, 9e6)), name: `user${r.range(100, 999)}`, iat: now - r.int(1e6), exp: variant === 'expired' ? now - 86_400 : now + 3600 };
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.${draw(r, ALPHABETS.base64url, 43)}`;
  },

  bech32: (r, [hrp, bytes], kind) => bech32(r, hrpArgument(kind, hrp), bytes === undefined ? 32 : lengthArgument(kind, bytes)),
  BECH32: (r, [hrp, bytes], kind) => bech32(r, hrpArgument(kind, hrp), bytes === undefined ? 32 : lengthArgument(kind, bytes)).toUpperCase(),
  'age-identity': (r) => bech32(r, 'age-secret-key-', 32).slice('age-secret-key-1'.length).toUpperCase(),
  'wireguard-key': (r) => {
    const key = randomBytes(r, 32);
    // X25519 clamping, as wg genkey applies it.
    key[0]! &= 248;
    key[31] = (key[31]! & 127) | 64;
    return Buffer.from(key).toString('base64');
  },
  crypt: (r, [id = '6', cost], kind) => cryptHash(r, id, cost, kind),
  'basic-auth': (r, [user]) => Buffer.from(`${user ?? r.pick(BASIC_AUTH_USERS)}:${password(r, r.range(14, 24), PASSWORD_SYMBOLS)}`).toString('base64'),
  'discord-bot': (r) => {
    const id = Buffer.from(numericId(r, r.range(17, 19))).toString('base64url');
    return `${id}.${draw(r, ALPHABETS.base64url, 6)}.${draw(r, ALPHABETS.base64url, 38)}`;
  },
  'sentry-org': (r) => {
    const org = `${r.pick(ORG_WORDS)}-${r.pick(ORG_WORDS)}`;
    const payload = { iat: 1_767_225_600 - r.int(1e7) + r.int(1e6) / 1e6, url: 'https://sentry.io', region_url: 'https://us.sentry.io', org };
    return `sntrys_${Buffer.from(JSON.stringify(payload)).toString('base64')}_${draw(r, ALPHABETS.base64, 43)}`;
  },

  /** A PyPI API token: a version-2 macaroon whose location is pypi.org, then random caveats. */
  pypi: (r) => `pypi-AgEIcHlwaS5vcmc${draw(r, ALPHABETS.base64url, 160)}`,
};
