import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64DecodesToSecretLike } from '../../src/detect/validators/base64-value.js';
import { FILTER_VALIDATORS, getValidator } from '../../src/detect/validators/index.js';
import { createFaker } from '../helpers/fake-secrets.js';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

describe('base64-secret-like', () => {
  const faker = createFaker(31);

  it('keeps random bytes and text that looks like a credential', () => {
    expect(base64DecodesToSecretLike(randomBytes(32).toString('base64'))).toBe(true);
    expect(base64DecodesToSecretLike(b64(faker.make('password:20')))).toBe(true);
    expect(base64DecodesToSecretLike(b64(faker.make('github:ghp')))).toBe(true);
    expect(base64DecodesToSecretLike(b64(`{"auths":{"registry.acme.io":{"auth":"${b64(`ci:${faker.make('password:16')}`)}"}}}`))).toBe(true);
    expect(base64DecodesToSecretLike(b64(`postgres://app:${faker.make('url-password:18')}@db.internal:5432/app`))).toBe(true);
    // URL-safe alphabet, as some tools write Secret values.
    expect(base64DecodesToSecretLike(randomBytes(30).toString('base64url'))).toBe(true);
  });

  it.each([
    ['a word', 'username'],
    ['an environment', 'production-us-east-1'],
    ['a host and port', 'db-primary.prod.internal:5432'],
    ['a name in capitals', 'BILLING_SERVICE_ACCOUNT'],
    ['a URL without credentials', 'https://hooks.internal.acme.io/deploy?env=prod'],
    ['a file path', '/etc/ssl/private/server.key'],
    ['an email address', 'ops-team@acme-corp.io'],
    ['a Parameter Store reference', 'ssm:/billing/prod/stripe-api-key'],
    ['an ARN', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf'],
    ['a 1Password reference', 'op://Production/Stripe/credential'],
    ['a placeholder', 'changeme-before-deploy'],
    ['a short value', 'Qx7#p'],
    ['a Cloudflare Ray ID', '8a1f3c9e0b7d2e45-AMS'],
    ['an SSH public key', `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${faker.make('base64:43')} ops@bastion`],
    ['a certificate', `-----BEGIN CERTIFICATE-----\n${faker.make('base64:64')}\n-----END CERTIFICATE-----`],
    ['an image encoded twice', `iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB${faker.make('base64:40')}`],
  ])('drops %s', (_what, decoded) => {
    expect(base64DecodesToSecretLike(b64(decoded))).toBe(false);
  });

  it('drops binary images and what is not base64 at all', () => {
    expect(base64DecodesToSecretLike(b64(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(40)])))).toBe(false);
    expect(base64DecodesToSecretLike('not base64!')).toBe(false);
  });

  it('is registered as a filter: passing it does not make a finding validated', () => {
    expect(getValidator('base64-secret-like')!(randomBytes(24).toString('base64'))).toBe(true);
    expect(FILTER_VALIDATORS.has('base64-secret-like')).toBe(true);
    expect(FILTER_VALIDATORS.has('github-checksum')).toBe(false);
  });
});
