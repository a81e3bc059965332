import { describe, expect, it } from 'vitest';
import { Detector, LineIndex, decode } from '../../src/detect/detector.js';
import { loadLinearEngine } from '../../src/detect/regex.js';
import { compileRules } from '../../src/rules/load.js';
import { testRule } from '../helpers/rules.js';
import { createFaker } from '../helpers/fake-secrets.js';

const faker = createFaker(3);
const TOKEN = `tok_${faker.make('alnum:20')}`;
const PASSWORD = faker.make('password:15');
const tokenRule = { id: 'test-token', keywords: ['tok_'], pattern: '\\b(tok_[A-Za-z0-9]{20})\\b', entropy: 3 };

async function detector(...rules: Parameters<typeof testRule>[]) {
  return new Detector(await compileRules(rules.map((args) => testRule(...args))));
}

function detectText(d: Detector, text: string, startLine?: number) {
  return d.detect({ origin: { path: 'f.txt', source: 'worktree' }, text, startLine });
}

describe('Detector', () => {
  it('reports the secret group with 1-based line and column, and the end after the last character', async () => {
    const d = await detector([tokenRule]);
    const [candidate, ...rest] = detectText(d, `line one\nconst key = "${TOKEN}";\n`);
    expect(rest).toHaveLength(0);
    expect(candidate).toMatchObject({ ruleId: 'test-token', secret: TOKEN, line: 2, column: 14, endLine: 2, endColumn: 14 + TOKEN.length });
    expect(candidate!.lineText).toBe(`const key = "${TOKEN}";`);
  });

  it('finds the same candidates from bytes as from text, for ASCII, UTF-8 and UTF-16 input', async () => {
    const d = await detector([tokenRule]);
    const text = `caf\u00e9 \u{1F600} = "${TOKEN}"\r\nnext ${TOKEN}\rlast ${TOKEN}`;
    const fromText = detectText(d, text).map(({ line, column, secret }) => ({ line, column, secret }));
    expect(fromText).toEqual([
      { line: 1, column: 12, secret: TOKEN },
      { line: 2, column: 6, secret: TOKEN },
      { line: 3, column: 6, secret: TOKEN },
    ]);
    const encodings = [
      Buffer.from(text, 'utf8'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    ];
    for (const bytes of encodings) {
      const fromBytes = d.detect({ origin: { path: 'f', source: 'worktree' }, bytes }).map(({ line, column, secret }) => ({ line, column, secret }));
      expect(fromBytes).toEqual(fromText);
    }
  });

  it('decodes big-endian UTF-16 with a byte-order mark', () => {
    const little = Buffer.from('key = 1', 'utf16le');
    const big = Buffer.from(little);
    big.swap16();
    expect(decode(Buffer.concat([Buffer.from([0xfe, 0xff]), big])).text).toBe('key = 1');
  });

  it('regression: big-endian UTF-16 with an odd byte count decodes (the odd byte dropped) instead of throwing', () => {
    expect(decode(Buffer.from([0xfe, 0xff, 0x00])).text).toBe('');
    const big = Buffer.from('key = 1', 'utf16le');
    big.swap16();
    expect(decode(Buffer.concat([Buffer.from([0xfe, 0xff]), big, Buffer.from([0x41])])).text).toBe('key = 1');
  });

  it('runs a rule only near its keywords: no keyword, no match', async () => {
    const d = await detector([{ ...tokenRule, keywords: ['unrelated'] }]);
    expect(detectText(d, `x = "${TOKEN}"`)).toEqual([]);
  });

  it('runs a rule without keywords over the whole text', async () => {
    const d = await detector([{ ...tokenRule, keywords: [] }]);
    expect(detectText(d, `${'filler '.repeat(5000)}\nx = "${TOKEN}"`)).toHaveLength(1);
  });

  it('finds a value that follows its keyword on the next line (windows do not stop at a newline)', async () => {
    const d = await detector([{ id: 'split', keywords: ['password'], pattern: 'password\\s*=\\s*"([^"]{8,})"' }]);
    const [candidate] = detectText(d, `password =\n   "${PASSWORD}"`);
    expect(candidate).toMatchObject({ secret: PASSWORD, line: 2, column: 5 });
  });

  it('finds a match whose start is on a very long line, far from the line start', async () => {
    const d = await detector([tokenRule]);
    const [candidate] = detectText(d, `${'x'.repeat(100_000)} ${TOKEN}`);
    expect(candidate).toMatchObject({ line: 1, column: 100_002 });
    expect(candidate!.lineText.length).toBeLessThan(5000);
  });

  it('matches a multi-line secret within the wider window of a multiline rule', async () => {
    const body = Array.from({ length: 60 }, (_, i) => `${'Ab3dE6gH9jK2mN5pQ8sT'.repeat(3)}${String(i).padStart(4, '0')}`).join('\n');
    const block = `-----BEGIN TEST KEY-----\n${body}\n-----END TEST KEY-----`;
    const d = await detector([
      { id: 'pem', keywords: ['-----begin'], pattern: '(-----BEGIN TEST KEY-----[\\s\\S]{1,8000}?-----END TEST KEY-----)', multiline: true },
    ]);
    const [candidate] = detectText(d, `header\n${block}\n`);
    expect(candidate).toMatchObject({ secret: block, line: 2, column: 1, endLine: 63, endColumn: 23 });
  });

  it('offsets lines by startLine for chunks that start mid-file', async () => {
    const d = await detector([tokenRule]);
    expect(detectText(d, `a\n${TOKEN}`, 40)[0]).toMatchObject({ line: 41, endLine: 41 });
  });

  it.each([
    ['below the entropy floor', 'tok_aaaaaaaaaaaaaaaaaaab'],
    ['a placeholder', 'tok_XXXXXXXXXXXXXXXXXXXX'],
    ['a rule stopword', `tok_Stop${TOKEN.slice(8)}`],
  ])('drops a secret that is %s', async (_name, secret) => {
    const d = await detector([{ ...tokenRule, stopwords: ['STOP'] }]);
    expect(detectText(d, `k = ${secret}`)).toEqual([]);
  });

  it('drops candidates a validator rejects and records the ones that pass', async () => {
    const d = await detector([{ id: 'gh', keywords: ['ghp_'], pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b', validators: ['github-checksum'] }]);
    const random = 'R2d8Kq9ZxV7mN3pL5tY1wB6cF0hJ4s';
    const { base62Crc32Checksum } = await import('../../src/detect/validators/checksum.js');
    const good = `ghp_${random}${base62Crc32Checksum(random)}`;
    const bad = `ghp_${random}AAAAAA`;
    const found = detectText(d, `${good}\n${bad}`);
    expect(found.map((c) => c.secret)).toEqual([good]);
    expect(found[0]!.validated).toEqual(['github-checksum']);
  });

  it('runs several rules sharing a keyword, each once per window', async () => {
    const d = await detector([tokenRule], [{ ...tokenRule, id: 'test-token-2' }]);
    const found = detectText(d, `${TOKEN} tok_ tok_ tok_ ${TOKEN}`);
    expect(found.map((c) => c.ruleId).sort()).toEqual(['test-token', 'test-token', 'test-token-2', 'test-token-2']);
  });

  it('drops a built-in generic match that overlaps a provider-specific match, and keeps one that does not', async () => {
    const d = await detector(
      [{ id: 'generic-thing', credentialType: 'generic-secret', keywords: ['secret'], pattern: 'secret\\s*=\\s*"([^"]{8,})"' }],
      [{ ...tokenRule, credentialType: 'api-key' }],
    );
    const found = detectText(d, `secret = "${TOKEN}"\nsecret = "${PASSWORD}"`);
    expect(found.map((c) => [c.ruleId, c.line])).toEqual([
      ['test-token', 1],
      ['generic-thing', 2],
    ]);
  });

  it('gives the same candidates on the user-rule engine (re2js) as on V8', async () => {
    await loadLinearEngine();
    const text = `a = "${TOKEN}"\n\u{1F600}\u{1F600} b: ${TOKEN.replace('A', 'Z')}\n`;
    const v8 = new Detector(await compileRules([testRule(tokenRule, true)]));
    const re2 = new Detector(await compileRules([testRule(tokenRule, false)]));
    const strip = (d: Detector) => detectText(d, text).map(({ origin: _o, ...rest }) => rest);
    expect(strip(re2)).toEqual(strip(v8));
    expect(re2.rules[0]!.pattern.engine).toBe('re2js');
  });

  it('keeps a catastrophic user pattern linear (re2js)', async () => {
    const d = new Detector(await compileRules([testRule({ id: 'redos', keywords: ['a'], pattern: '(a+)+$' }, false)]));
    const started = performance.now();
    detectText(d, `${'a'.repeat(5000)}!`);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('LineIndex', () => {
  it.each([
    ['a\nb', 2, { line: 2, column: 1 }],
    ['a\r\nb', 3, { line: 2, column: 1 }],
    ['a\rb', 2, { line: 2, column: 1 }],
    ['abc', 2, { line: 1, column: 3 }],
    ['a\n\nb', 3, { line: 3, column: 1 }],
  ])('in %j offset %i is %o', (text, offset, expected) => {
    expect(new LineIndex(text, 1).position(offset)).toEqual(expected);
  });
});
