/**
 * What a base64 value stands for, for rules that report base64 values by where they sit (Kubernetes
 * Secret `data:`) rather than by their shape. Everything in such a place is base64, secret or not, so the
 * value is judged by what it decodes to. Random bytes (a generated key) could be a secret; so could text
 * with the look of one. Words and names ("production-us-east", "billing-service-account"), addresses,
 * references to a secret kept elsewhere, public key material and images are not.
 */
import { isPlaceholder } from '../placeholders.js';

/** Shorter than this many bytes decoded, a value is a setting ("info", "8080", "true"), not a credential. */
const MIN_DECODED_BYTES = 8;

/**
 * Words or numbers joined by separators, each word in one case: names, environments, hosts, regions
 * ("production-us-east", "db.prod.internal", "US-EAST-1", "Billing"). Random text mixes classes within a
 * run; "correct-horse-battery-staple" is lost here, but a passphrase sits under a password-named key,
 * where the generic rules read its decoded form.
 */
const WORD = '(?:[a-z]+|[A-Z]+|[A-Z][a-z]+|[0-9]+)';
const WORDS = new RegExp(`^${WORD}(?:[-_. /:,]+${WORD})*$`);
/** A URL without user:password@ (a password in a URL has ':' before '@'), or a file path. */
const URL_OR_PATH = /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+(?::[0-9]+)?(?:[/?#]\S*)?$|^\.{0,2}\/[\w./@-]+$/i;
const EMAIL = /^[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i;
/** A reference to a secret kept elsewhere: AWS ARNs and SSM/Secrets Manager names, Vault, 1Password, GCP. */
const REFERENCE = /^(?:arn:aws[a-z-]*:|ssm:|secretsmanager:|aws-?sm:|vault:|op:\/\/|gcp-?sm:|projects\/[^/\s]+\/secrets\/|azure-?kv:|ref\+)/i;
/** Public halves and certificates: PEM armour of public material, OpenSSH public keys. */
const PUBLIC_KEY = /^-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|PGP PUBLIC KEY BLOCK)-----|^(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com) AAAA/;
/** Request identifiers that end up in captured configuration: a Cloudflare Ray ID (16 hex + data centre). */
const REQUEST_ID = /^[0-9a-f]{16}-[A-Z]{3}$/;
/** An image, encoded once more (PNG, JPEG, GIF, WebP as base64 text). */
const IMAGE_BASE64 = /^(?:iVBORw0KGgo|\/9j\/|R0lGOD|UklGR)/;

/** Magic numbers of binary formats that are never a credential: images and fonts. */
const BINARY_MAGIC: number[][] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x77, 0x4f, 0x46, 0x46], // WOFF
  [0x77, 0x4f, 0x46, 0x32], // WOFF2
];

export function base64DecodesToSecretLike(value: string): boolean {
  const body = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(body)) return false;
  const bytes = Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < MIN_DECODED_BYTES) return false;
  const decoded = textOf(bytes);
  if (decoded === undefined) return !BINARY_MAGIC.some((magic) => magic.every((byte, i) => bytes[i] === byte));
  const text = decoded.trim();
  if (text.length < MIN_DECODED_BYTES) return false;
  if (isPlaceholder(text)) return false;
  if (WORDS.test(text) || URL_OR_PATH.test(text) || EMAIL.test(text)) return false;
  if (REFERENCE.test(text) || PUBLIC_KEY.test(text) || IMAGE_BASE64.test(text) || REQUEST_ID.test(text)) return false;
  return true;
}

/** The bytes as text when they are valid UTF-8 with no control characters but tab and line breaks. */
function textOf(bytes: Buffer): string | undefined {
  for (const byte of bytes) if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return undefined;
  const text = bytes.toString('utf8');
  return text.includes('\ufffd') ? undefined : text;
}
