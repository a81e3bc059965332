import { describe, expect, it } from 'vitest';
import { isPlaceholder } from '../../src/detect/placeholders.js';
import { createFaker } from '../helpers/fake-secrets.js';

describe('isPlaceholder', () => {
  it.each([
    '${DB_PASSWORD}',
    '${{ secrets.NPM_TOKEN }}',
    '{{ .Values.apiKey }}',
    '$API_KEY',
    '$(TOKEN)',
    '%SECRET%',
    '<your-api-key>',
    '<token>',
    'YOUR_API_KEY',
    'changeme',
    'xxxxxxxxxxxxxxxx',
    '****************',
    'AKIAIOSFODNN7EXAMPLE',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'sk_live_REPLACE_ME_with_key',
    'process.env.SECRET_KEY',
    'aaaaaaaaaaaa',
    'abababababab',
    'REDACTED',
    '((vault_token))',
    "<+secrets.getValue('token')>",
    'sk-ant-api03-...',
    'ghp_\u2026',
    'bin/secretscan.js',
    './certs/server-key.pem',
    '/etc/ssl/private/server.key',
    'config/prod/db.secret.yaml',
    'prod/deploy:api_token',
    'ci/sonar:token',
    Buffer.from('INSERT_SENDGRID_API_KEY_HERE').toString('base64'),
    Buffer.from('<insert api-key here>').toString('base64'),
    Buffer.from('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY').toString('base64'),
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  ])('%j is a placeholder', (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  const faker = createFaker(11);
  it.each([faker.make('password:16'), faker.make('github:ghp'), faker.make('aws-key-id'), faker.make('password:12')])(
    '%j is not a placeholder',
    (value) => {
      expect(isPlaceholder(value)).toBe(false);
    },
  );
});
