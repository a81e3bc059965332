import { describe, expect, it } from 'vitest';
import { shannonEntropy } from '../../src/detect/entropy.js';
import { isPlaceholder } from '../../src/detect/placeholders.js';
import { base62Crc32Checksum, crc32 } from '../../src/detect/validators/checksum.js';
import { getValidator } from '../../src/detect/validators/index.js';
import { createFaker, FAKE_MARKER } from './fake-secrets.js';

/** Many draws of one kind, from several seeds, so properties hold beyond one lucky value. */
function draws(kind: string, count = 60): string[] {
  const values: string[] = [];
  for (let seed = 1; values.length < count; seed++) {
    const faker = createFaker(seed);
    for (let i = 0; i < 5; i++) values.push(faker.make(kind));
  }
  return values;
}

const hasUpper = (value: string) => /[A-Z]/.test(value);
const hasLower = (value: string) => /[a-z]/.test(value);
const hasDigit = (value: string) => /[0-9]/.test(value);

describe('createFaker', () => {
  it('gives the same values for the same seed and different values for another', () => {
    const kinds = ['alnum:36', 'github:ghp', 'npm', 'password:20', 'pem:RSA PRIVATE KEY', 'slack:xoxb', 'gitlab-routable:glpat-'];
    const first = createFaker(42);
    const second = createFaker(42);
    const other = createFaker(43);
    const a = kinds.map((kind) => first.make(kind));
    expect(kinds.map((kind) => second.make(kind))).toEqual(a);
    expect(kinds.map((kind) => other.make(kind))).not.toEqual(a);
  });

  it('advances: two draws of one kind differ', () => {
    const faker = createFaker();
    expect(faker.make('hex:32')).not.toBe(faker.make('hex:32'));
  });

  it('has a default seed, so createFaker() is deterministic too', () => {
    expect(createFaker().make('alnum:20')).toBe(createFaker().make('alnum:20'));
  });
});

describe('character-set kinds', () => {
  it.each([
    ['alnum', /^[A-Za-z0-9]+$/, [hasUpper, hasLower, hasDigit]],
    ['lower', /^[a-z0-9]+$/, [hasLower, hasDigit]],
    ['upper', /^[A-Z0-9]+$/, [hasUpper, hasDigit]],
    ['hex', /^[0-9a-f]+$/, [hasDigit, (v: string) => /[a-f]/.test(v)]],
    ['HEX', /^[0-9A-F]+$/, [hasDigit, (v: string) => /[A-F]/.test(v)]],
    ['digits', /^[0-9]+$/, []],
    ['base64', /^[A-Za-z0-9+/]+$/, [hasUpper, hasLower, hasDigit]],
    ['base64url', /^[A-Za-z0-9_-]+$/, [hasUpper, hasLower, hasDigit]],
    ['letters', /^[A-Za-z]+$/, [hasUpper, hasLower]],
  ] as const)('%s:N has N characters of its set and a mix of classes', (name, charset, mixes) => {
    for (const length of [8, 20, 40, 64]) {
      for (const value of draws(`${name}:${length}`, 20)) {
        expect(value).toHaveLength(length);
        expect(value).toMatch(charset);
        for (const mix of mixes) expect(mix(value), `${name}:${length} ${value}`).toBe(true);
      }
    }
  });

  it('clears the entropy gates rules put on such values', () => {
    for (const value of draws('hex:32')) expect(shannonEntropy(value)).toBeGreaterThanOrEqual(3.2);
    for (const value of draws('alnum:36')) expect(shannonEntropy(value)).toBeGreaterThanOrEqual(4);
    for (const value of draws('password:16')) expect(shannonEntropy(value)).toBeGreaterThanOrEqual(3.2);
  });

  it('accepts short lengths without insisting on every class', () => {
    expect(createFaker(1).make('alnum:3')).toMatch(/^[A-Za-z0-9]{3}$/);
  });
});

describe('provider kinds', () => {
  it.each(['ghp', 'gho', 'ghu', 'ghs', 'ghr'])('github:%s has the prefix, 36 characters and a valid checksum', (prefix) => {
    const validator = getValidator('github-checksum')!;
    for (const value of draws(`github:${prefix}`)) {
      expect(value).toMatch(new RegExp(`^${prefix}_[A-Za-z0-9]{36}$`));
      expect(validator(value)).toBe(true);
      expect(value.slice(-6)).toBe(base62Crc32Checksum(value.slice(4, -6)));
    }
  });

  it('npm has the prefix, 36 characters and a valid checksum', () => {
    const validator = getValidator('npm-checksum')!;
    for (const value of draws('npm')) {
      expect(value).toMatch(/^npm_[A-Za-z0-9]{36}$/);
      expect(validator(value)).toBe(true);
    }
  });

  it.each([
    ['github-fine-grained', /^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/],
    ['aws-key-id', /^AKIA[A-Z2-7]{16}$/],
    ['aws-key-id:ASIA', /^ASIA[A-Z2-7]{16}$/],
    ['aws-secret', /^[A-Za-z0-9+/]{40}$/],
    ['slack:xoxb', /^xoxb-[1-9][0-9]{9,12}-[1-9][0-9]{9,12}-[A-Za-z0-9]{24}$/],
    ['slack:xoxp', /^xoxp-(?:[1-9][0-9]{9,12}-){3}[0-9a-f]{32}$/],
    ['slack:xapp', /^xapp-1-A[A-Z0-9]{10}-[0-9]{13}-[0-9a-f]{64}$/],
    ['slack-webhook', /^https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{8,10}\/B[A-Z0-9]{8,10}\/[A-Za-z0-9]{24}$/],
    ['discord-webhook', /^https:\/\/discord\.com\/api\/webhooks\/[0-9]{18,19}\/[A-Za-z0-9_-]{68}$/],
    ['telegram-bot', /^[1-9][0-9]{8,9}:AA[A-Za-z0-9_-]{33}$/],
    ['sendgrid', /^SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/],
    ['openai:proj', /^sk-proj-[A-Za-z0-9_-]{74}T3BlbkFJ[A-Za-z0-9_-]{74}$/],
    ['openai:svcacct', /^sk-svcacct-[A-Za-z0-9_-]{74}T3BlbkFJ[A-Za-z0-9_-]{74}$/],
    ['openai:admin', /^sk-admin-[A-Za-z0-9_-]{58}T3BlbkFJ[A-Za-z0-9_-]{58}$/],
    ['openai:legacy', /^sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}$/],
    ['anthropic:api03', /^sk-ant-api03-[A-Za-z0-9_-]{93}AA$/],
    ['anthropic:admin01', /^sk-ant-admin01-[A-Za-z0-9_-]{93}AA$/],
    ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
    ['mailgun-key', /^[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}$/],
  ])('%s has the documented shape', (kind, shape) => {
    for (const value of draws(kind, 20)) expect(value).toMatch(shape);
  });

  it('gitlab-routable makes a token whose length field and CRC32 check out', () => {
    for (const prefix of ['glpat-', 'glrt-t1_']) {
      for (const value of draws(`gitlab-routable:${prefix}`, 20)) {
        const match = /^(.+)\.01\.([0-9a-z]{2})([0-9a-z]{7})$/.exec(value)!;
        expect(match, value).not.toBeNull();
        expect(match[1]!.startsWith(prefix)).toBe(true);
        const payload = match[1]!.slice(prefix.length);
        expect(payload).toMatch(/^[A-Za-z0-9_-]{27,300}$/);
        expect(parseInt(match[2]!, 36)).toBe(payload.length);
        expect(match[3]).toBe(crc32(value.slice(0, -7)).toString(36).padStart(7, '0'));
      }
    }
  });
});

describe('password kinds', () => {
  it.each([
    ['password', /^[A-Za-z0-9][A-Za-z0-9!@#%^*_+-]*$/, /[!@#%^*_+-]/],
    ['url-password', /^[A-Za-z0-9][A-Za-z0-9._~!*-]*$/, /[._~!*-]/],
  ])('%s:N mixes letters, digits and its symbols, and nothing else', (kind, charset, symbol) => {
    for (const value of draws(`${kind}:20`)) {
      expect(value).toHaveLength(20);
      expect(value).toMatch(charset);
      expect(value).toMatch(symbol);
      expect(hasUpper(value) && hasLower(value) && hasDigit(value)).toBe(true);
      expect(value).not.toMatch(/[\s"'`$\\]/);
    }
  });
});

describe('key blocks', () => {
  it.each(['RSA PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'])(
    'pem:%s is a whole armoured block',
    (label) => {
      const value = createFaker(3).make(`pem:${label}`);
      const lines = value.split('\n');
      expect(lines[0]).toBe(`-----BEGIN ${label}-----`);
      expect(lines.at(-1)).toBe(`-----END ${label}-----`);
      const body = lines.slice(1, -1);
      expect(body.length).toBeGreaterThanOrEqual(20);
      for (const line of body.slice(0, -1)) expect(line).toMatch(/^[A-Za-z0-9+/]{64}$/);
      expect(body.at(-1)).toMatch(/^[A-Za-z0-9+/]{8,63}={0,2}$/);
    },
  );

  it('pem-escaped puts the same shape on one line with \\n escapes', () => {
    const value = createFaker(3).make('pem-escaped:PRIVATE KEY');
    expect(value).not.toContain('\n');
    expect(value).toMatch(/^-----BEGIN PRIVATE KEY-----\\n[A-Za-z0-9+/]{64}\\n[\s\S]+\\n-----END PRIVATE KEY-----$/);
  });

  it('pem-legacy-encrypted carries the OpenSSL encryption headers', () => {
    const value = createFaker(3).make('pem-legacy-encrypted');
    expect(value).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,[0-9A-F]{32}\n\n/);
    expect(value.endsWith('-----END RSA PRIVATE KEY-----')).toBe(true);
  });

  it('pgp-private-key is an armoured block with a checksum line', () => {
    const value = createFaker(3).make('pgp-private-key');
    expect(value).toMatch(/^-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n[A-Za-z0-9+/=\n]+\n=[A-Za-z0-9+/]{4}\n-----END PGP PRIVATE KEY BLOCK-----$/);
  });
});

describe('values never look like placeholders', () => {
  const kinds = ['alnum:40', 'lower:32', 'hex:64', 'base64:64', 'letters:34', 'password:24', 'url-password:24', 'github:ghp', 'npm', 'aws-secret', 'slack-webhook', 'openai:proj', 'pem:RSA PRIVATE KEY'];

  it.each(kinds)('%s', (kind) => {
    for (const value of draws(kind, 100)) {
      expect(isPlaceholder(value), value).toBe(false);
      expect(value.toLowerCase()).not.toMatch(/example|test|fake|dummy|sample|xxxx|changeme|placeholder/);
    }
  });

  it('random parts have no run of four equal characters', () => {
    for (const kind of ['alnum:64', 'digits:40', 'hex:64', 'password:32']) {
      for (const value of draws(kind, 100)) expect(value).not.toMatch(/(.)\1\1\1/);
    }
  });
});

describe('expand', () => {
  it('replaces every marker in order and returns the values in marker order', () => {
    const faker = createFaker(9);
    const { text, secrets } = faker.expand('id=<<fake:aws-key-id>>\nsecret=<<fake:aws-secret>>\nagain=<<fake:hex:8>>');
    expect(secrets).toHaveLength(3);
    expect(text).toBe(`id=${secrets[0]}\nsecret=${secrets[1]}\nagain=${secrets[2]}`);
    expect(secrets[0]).toMatch(/^AKIA/);
  });

  it('draws the same values make() would, from the same seed', () => {
    const { secrets } = createFaker(5).expand('<<fake:npm>> <<fake:pem:EC PRIVATE KEY>>');
    const faker = createFaker(5);
    expect(secrets).toEqual([faker.make('npm'), faker.make('pem:EC PRIVATE KEY')]);
  });

  it('leaves text without markers alone', () => {
    expect(createFaker().expand('password = "changeme"')).toEqual({ text: 'password = "changeme"', secrets: [] });
  });

  it('works whatever state the exported FAKE_MARKER regex is in', () => {
    FAKE_MARKER.lastIndex = 5;
    expect(createFaker().expand('<<fake:hex:8>>').secrets).toHaveLength(1);
    FAKE_MARKER.lastIndex = 0;
  });
});

describe('FAKE_MARKER', () => {
  it('finds every marker and its kind, labels with spaces included', () => {
    const kinds = [...'a <<fake:alnum:8>> b <<fake:pem:RSA PRIVATE KEY>>'.matchAll(FAKE_MARKER)].map((match) => match[1]);
    expect(kinds).toEqual(['alnum:8', 'pem:RSA PRIVATE KEY']);
  });
});

describe('errors', () => {
  it.each([
    ['no-such-kind', /unknown fake-secret kind "no-such-kind"/],
    ['alnum', /needs a length/],
    ['alnum:zero', /needs a length/],
    ['hex:0', /needs a length/],
    ['github:ghx', /needs one of ghp, gho, ghu, ghs, ghr/],
    ['github', /needs one of/],
    ['aws-key-id:AKIB', /needs one of/],
    ['slack:xoxz', /needs one of xoxb, xoxp, xapp/],
    ['openai:v2', /needs one of/],
    ['pem:', /needs a PEM label/],
    ['pem:rsa private key', /needs a PEM label/],
    ['gitlab-routable:ghp_', /needs a GitLab prefix/],
  ])('%s throws', (kind, message) => {
    expect(() => createFaker().make(kind)).toThrow(message);
  });

  it('expand throws on an unknown kind too', () => {
    expect(() => createFaker().expand('x=<<fake:nope>>')).toThrow(/unknown fake-secret kind "nope"/);
  });
});

/** A bech32 checker written from BIP-173 alone (not the generator's code), proven on its test vectors below. */
function bech32Verifies(value: string): boolean {
  if (value !== value.toLowerCase() && value !== value.toUpperCase()) return false;
  const lower = value.toLowerCase();
  const separator = lower.lastIndexOf('1');
  if (separator < 1 || lower.length - separator - 1 < 6) return false;
  const charset = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
  const data = [...lower.slice(separator + 1)].map((char) => charset.indexOf(char));
  if (data.includes(-1)) return false;
  const hrp = [...lower.slice(0, separator)].map((char) => char.charCodeAt(0));
  const values = [...hrp.map((c) => c >> 5), 0, ...hrp.map((c) => c & 31), ...data];
  const generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const b = Math.floor(chk / 2 ** 25);
    chk = ((chk % 2 ** 25) * 32) ^ v;
    generator.forEach((g, i) => {
      if (Math.floor(b / 2 ** i) % 2 === 1) chk = (chk ^ g) >>> 0;
    });
  }
  return chk === 1;
}

describe('kinds for keys, hashes and bot tokens', () => {
  it('the test bech32 checker accepts BIP-173 valid strings and rejects invalid ones', () => {
    for (const valid of ['A12UEL5L', 'a12uel5l', 'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw', 'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w']) {
      expect(bech32Verifies(valid), valid).toBe(true);
    }
    for (const invalid of ['a12uel5m', 'A12uEL5L', 'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx', 'pzry9x0s0muk']) {
      expect(bech32Verifies(invalid), invalid).toBe(false);
    }
  });

  it('bech32 and BECH32 make checksummed values: HRP, 1, 32 bytes as 52 characters, 6 of checksum', () => {
    for (const value of draws('bech32:age', 30)) {
      expect(value).toMatch(/^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/);
      expect(bech32Verifies(value)).toBe(true);
    }
    for (const value of draws('BECH32:bc:20', 30)) {
      expect(value).toMatch(/^BC1[0-9A-Z]{38}$/);
      expect(bech32Verifies(value)).toBe(true);
    }
  });

  it('age-identity completes AGE-SECRET-KEY-1 into a checksummed age identity', () => {
    for (const value of draws('age-identity', 30)) {
      expect(value).toMatch(/^[02-9AC-HJ-NP-Z]{58}$/);
      expect(bech32Verifies(`AGE-SECRET-KEY-1${value}`)).toBe(true);
      expect(bech32Verifies(`AGE-SECRET-KEY-1${value.slice(0, -1)}${value.endsWith('Q') ? 'P' : 'Q'}`)).toBe(false);
    }
  });

  it('wireguard-key is 32 clamped bytes in base64, as wg genkey prints', () => {
    for (const value of draws('wireguard-key')) {
      expect(value).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      const key = Buffer.from(value, 'base64');
      expect(key).toHaveLength(32);
      expect(key[0]! & 7).toBe(0);
      expect(key[31]! & 0xc0).toBe(0x40);
    }
  });

  it('crypt makes each crypt(3) scheme with its salt and digest lengths', () => {
    const shapes: [string, RegExp][] = [
      ['crypt', /^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{85}[./01]$/],
      ['crypt:5', /^\$5\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{42}[./0-9A-D]$/],
      ['crypt:1', /^\$1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{21}[./01]$/],
      ['crypt:apr1', /^\$apr1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{21}[./01]$/],
      ['crypt:y', /^\$y\$j9T\$[./0-9A-Za-z]{22}\$[./0-9A-Za-z]{43}$/],
      // bcrypt: 22 salt characters, the last one of .Oeu; 31 hash characters, the last one of 16.
      ['crypt:2b', /^\$2b\$12\$[./A-Za-z0-9]{21}[.Oeu][./A-Za-z0-9]{30}[.CGKOSWaeimquy26]$/],
      ['crypt:2y:10', /^\$2y\$10\$[./A-Za-z0-9]{21}[.Oeu][./A-Za-z0-9]{30}[.CGKOSWaeimquy26]$/],
    ];
    for (const [kind, shape] of shapes) for (const value of draws(kind, 30)) expect(value, kind).toMatch(shape);
    expect(() => createFaker().make('crypt:7')).toThrow(/crypt id/);
    expect(() => createFaker().make('crypt:2b:40')).toThrow(/bcrypt cost/);
  });

  it('basic-auth is base64 of user:password, with the user asked for', () => {
    for (const value of draws('basic-auth:deploy', 30)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      expect(Buffer.from(decoded).toString('base64')).toBe(value);
      expect(decoded).toMatch(/^deploy:[A-Za-z0-9][A-Za-z0-9!@#%^*_+-]{13,23}$/);
    }
    for (const value of draws('basic-auth', 30)) expect(Buffer.from(value, 'base64').toString('utf8')).toMatch(/^[a-z-]+:[^:]{14,24}$/);
  });

  it('discord-bot starts with the base64 of a 17-19 digit user id, then a timestamp and an HMAC', () => {
    for (const value of draws('discord-bot')) {
      const [id, timestamp, hmac, ...rest] = value.split('.');
      expect(rest).toEqual([]);
      expect(Buffer.from(id!, 'base64url').toString('latin1')).toMatch(/^[1-9][0-9]{16,18}$/);
      expect(id).toMatch(/^(?:M[Tjz]|N[DTjz]|O[DT])[A-Za-z0-9_-]{21,25}$/);
      expect(timestamp).toMatch(/^[A-Za-z0-9_-]{6}$/);
      expect(hmac).toMatch(/^[A-Za-z0-9_-]{38}$/);
    }
  });

  it('sentry-org is sntrys_ + base64 of its JSON payload + _ + 43 base64 characters', () => {
    for (const value of draws('sentry-org', 30)) {
      const match = /^sntrys_(eyJ[A-Za-z0-9+/]+={0,2})_([A-Za-z0-9+/]{43})$/.exec(value);
      expect(match, value.slice(0, 12)).not.toBeNull();
      const payload = JSON.parse(Buffer.from(match![1]!, 'base64').toString('utf8')) as Record<string, unknown>;
      expect(Object.keys(payload)).toEqual(['iat', 'url', 'region_url', 'org']);
      expect(typeof payload.iat).toBe('number');
      expect(payload.url).toBe('https://sentry.io');
      expect(payload.org).toMatch(/^[a-z]+-[a-z]+$/);
    }
  });
});
