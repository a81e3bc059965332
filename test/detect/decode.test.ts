import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBase64Line, decodeUrlLine, mapToOriginal } from '../../src/detect/decode.js';
import { Detector } from '../../src/detect/detector.js';
import { builtinRulesDir, compileRules, loadRuleSource } from '../../src/rules/load.js';
import { createFaker } from '../helpers/fake-secrets.js';

const faker = createFaker(77);
const b64 = (text: string) => Buffer.from(text).toString('base64');
let detector: Detector;

beforeAll(async () => {
  detector = new Detector(await compileRules(await loadRuleSource(builtinRulesDir(), { builtin: true })));
});

function detect(text: string) {
  return detector.detect({ origin: { path: 'x', source: 'worktree' }, text });
}

describe('decoding', () => {
  it('finds a token base64-encoded in a Kubernetes Secret, at the encoded span', () => {
    const token = faker.make('github:ghp');
    const encoded = b64(token);
    const manifest = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ndata:\n  github-token: ${encoded}\n`;
    const [candidate, ...rest] = detect(manifest);
    expect(rest).toEqual([]);
    expect(candidate).toMatchObject({ ruleId: 'github-pat-classic', secret: token, decoded: 'base64', line: 6, column: 17, endColumn: 17 + encoded.length });
  });

  it('finds a base64-encoded password under a secret-named key, using the key as context', () => {
    const password = faker.make('password:18');
    const [candidate] = detect(`kind: Secret\ndata:\n  db_password: ${b64(password)}\n`);
    expect(candidate).toMatchObject({ secret: password, decoded: 'base64', line: 3, column: 16 });
  });

  it('finds a token inside a Docker config auth field', () => {
    const token = faker.make('github:ghp');
    const found = detect(`{"auths": {"ghcr.io": {"auth": "${b64(`deploy-bot:${token}`)}"}}}`);
    expect(found.map((c) => [c.secret, c.decoded])).toContainEqual([token, 'base64']);
  });

  it('finds a URL-encoded webhook, reported over its encoded text', () => {
    const plain = `https://hooks.slack.com/services/T${faker.make('upper:8')}/B${faker.make('upper:8')}/${faker.make('alnum:24')}`;
    const encoded = encodeURIComponent(plain);
    const line = `redirect=${encoded}&x=1`;
    const found = detect(line).filter((c) => c.decoded === 'url');
    expect(found).toHaveLength(1);
    expect(found[0]!.column).toBe(10);
    expect(found[0]!.endColumn).toBe(10 + encoded.length);
  });

  it('reports a secret that is visible anyway only once, undecoded', () => {
    const token = faker.make('github:ghp');
    const found = detect(`token: ${token}  # copy: ${b64(token)}\nkind: Secret\n`);
    expect(found.filter((c) => c.secret === token).map((c) => c.decoded)).toContain(undefined);
    expect(found.filter((c) => c.secret === token && c.decoded === undefined)).toHaveLength(1);
  });

  it.each([
    ['an SRI hash', `"integrity": "sha512-${Buffer.alloc(64, 7).toString('base64')}"`],
    ['a base64 image', `background: url(data:image/png;base64,${Buffer.from(Array.from({ length: 90 }, (_, i) => (i * 37) % 256)).toString('base64')})`],
    ['an identifier', 'const token = someVeryLongIdentifierNameHere;'],
  ])('finds nothing in %s', (_name, line) => {
    expect(detect(`${line}\nkind: Secret\n`).filter((c) => c.decoded)).toEqual([]);
  });
});

describe('decodeBase64Line / decodeUrlLine', () => {
  it('replaces each decodable run in place and maps decoded offsets back', () => {
    const line = `a: ${b64('hello world, this is text')} b: plain`;
    const decoded = decodeBase64Line(line)!;
    expect(decoded.text).toBe('a: hello world, this is text b: plain');
    expect(mapToOriginal(decoded, 3, 8)).toEqual([3, line.indexOf(' b:')]);
    expect(mapToOriginal(decoded, 30, 35)).toBeUndefined();
  });

  it.each([
    ['one', 'hello world, this is text!'],
    ['two', 'hello world, this is text'],
    ['no', 'hello world, this is tex'],
  ])('takes %s padding character(s) at the very end of the line into the run', (_count, plain) => {
    const encoded = b64(plain);
    const line = `token: ${encoded}`;
    const decoded = decodeBase64Line(line)!;
    expect(decoded.text).toBe(`token: ${plain}`);
    expect(mapToOriginal(decoded, 7, 7 + plain.length)).toEqual([7, line.length]);
  });

  it('maps URL-decoded offsets to the escapes and plain characters they came from', () => {
    const decoded = decodeUrlLine('x=a%2Fb%3Dc')!;
    expect(decoded.text).toBe('x=a/b=c');
    expect(mapToOriginal(decoded, 2, 7)).toEqual([2, 11]);
  });
});

describe('decoding cost', () => {
  it('stays linear on a minified megabyte line full of trigger keywords (regression: quadratic line-start search)', () => {
    const line = 'var a={token:b.token,secret:c(d)};'.repeat(60_000);
    const started = performance.now();
    detect(line);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
