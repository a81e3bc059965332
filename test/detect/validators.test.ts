import { describe, expect, it } from 'vitest';
import { createFaker } from '../helpers/fake-secrets.js';
import { base62, base62Crc32Checksum, crc32 } from '../../src/detect/validators/checksum.js';
import { getValidator, validatorNames } from '../../src/detect/validators/index.js';

describe('crc32', () => {
  it.each([
    ['', 0x00000000],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('crc32(%j) = %i', (text, expected) => {
    expect(crc32(text)).toBe(expected);
  });
});

describe('base62', () => {
  it.each([
    [0, 6, '000000'],
    [61, 1, 'z'],
    [62, 2, '10'],
    [0xffffffff, 6, '4gfFC3'],
  ])('base62(%i, %i) = %s', (value, width, expected) => {
    expect(base62(value, width)).toBe(expected);
  });
});

describe('github-checksum', () => {
  const validator = getValidator('github-checksum')!;
  const random = 'R2d8Kq9ZxV7mN3pL5tY1wB6cF0hJ4s';
  const valid = `ghp_${random}${base62Crc32Checksum(random)}`;

  it('accepts a token whose last six characters are the base62 CRC32 of the random part', () => {
    expect(valid).toHaveLength(40);
    expect(validator(valid)).toBe(true);
    for (const prefix of ['gho_', 'ghu_', 'ghs_', 'ghr_']) expect(validator(prefix + valid.slice(4))).toBe(true);
  });

  it.each([
    ['a changed random character', `ghp_X${valid.slice(5)}`],
    ['a changed checksum character', `${valid.slice(0, -1)}${valid.endsWith('A') ? 'B' : 'A'}`],
    ['a wrong prefix', `ghx_${valid.slice(4)}`],
    ['a wrong length', valid.slice(0, -1)],
  ])('rejects %s', (_name, token) => {
    expect(validator(token)).toBe(false);
  });
});

describe('registry', () => {
  it('knows its validators by name and nothing else', () => {
    expect(validatorNames()).toEqual(expect.arrayContaining(['github-checksum', 'npm-checksum']));
    expect(getValidator('no-such-validator')).toBeUndefined();
    expect(getValidator('toString')).toBeUndefined();
  });
});

describe('not-an-identifier-setting', () => {
  const validator = getValidator('not-an-identifier-setting')!;
  it.each([
    ['"balanceTokenId": "', false],
    ['private_key_id = ', false],
    ['secret_name: ', false],
    ['TOKEN_TYPE=', false],
    ["config['password_length'] = '", false],
    ['"secretHash": "', false],
    ['password = "', true],
    ['"client_secret": "', true],
    ['DB_PASSWORD=', true],
    ['apiKey: ', true],
  ])('judges the setting in %j: secret allowed = %s', (prefix, allowed) => {
    expect(validator('x', prefix)).toBe(allowed);
  });
});

describe('structure validators', () => {
  const faker = createFaker(21);
  const jwt = getValidator('jwt')!;
  const pem = getValidator('pem-structure')!;
  const pypi = getValidator('pypi-macaroon')!;

  it('accepts JWTs whose header and claims decode, and nothing else', () => {
    const token = faker.make('jwt');
    expect(jwt(token)).toBe(true);
    expect(jwt(faker.make('jwt:service_role'))).toBe(true);
    const [header, claims] = token.split('.');
    expect(jwt(`${header}.${claims}`)).toBe(false);
    expect(jwt(`${header}.bm90IGpzb24.${'s'.repeat(43)}`)).toBe(false);
    expect(jwt(`${Buffer.from('{"typ":"JWT"}').toString('base64url')}.${claims}.${'s'.repeat(43)}`)).toBe(false);
    expect(jwt('abc.def.ghi')).toBe(false);
  });

  it('accepts PEM blocks with matching labels and a base64 body, also with \\n escapes', () => {
    const block = faker.make('pem:RSA PRIVATE KEY');
    expect(pem(block)).toBe(true);
    expect(pem(block.replace(/\n/g, '\\n'))).toBe(true);
    expect(pem(block.replace('END RSA', 'END EC'))).toBe(false);
    expect(pem('-----BEGIN RSA PRIVATE KEY-----\nnot base64 at all!\n-----END RSA PRIVATE KEY-----')).toBe(false);
    expect(pem('-----BEGIN RSA PRIVATE KEY-----\nQUJD\n-----END RSA PRIVATE KEY-----')).toBe(false);
  });

  it('accepts PyPI macaroons located at pypi.org', () => {
    expect(pypi(faker.make('pypi'))).toBe(true);
    expect(pypi(`pypi-${Buffer.from([2, 1, 8, ...Buffer.from('evil.org')]).toString('base64url')}${'A'.repeat(60)}`)).toBe(false);
    expect(pypi('pypi-short')).toBe(false);
  });
});
