import { describe, expect, it } from 'vitest';
import { isPlaceholder } from '../../src/detect/placeholders.js';

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
  ])('%j is a placeholder', (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it.each(['Zq8#mT2!vLx9@pR4', 'ghp_R2d8Kq9ZxV7mN3pL5tY1wB6cF0hJ4sA8uE2g', 'AKIAZ3MSJV4WWYQ2NHLX', 'aB3$dE6&gH9*'])(
    '%j is not a placeholder',
    (value) => {
      expect(isPlaceholder(value)).toBe(false);
    },
  );
});
