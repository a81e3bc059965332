/**
 * The registry of offline validators, by the names rule files use in `validators:`. A validator looks
 * only at the secret (never the network). Returning false drops the candidate; passing raises the
 * finding's confidence.
 */
import { base64DecodesToSecretLike } from './base64-value.js';
import { hasValidBase62Checksum } from './checksum.js';
import { decodeJwt, isPemBlock, isPypiMacaroon } from './structure.js';

/**
 * `prefix` is the part of the match before the secret (for assignment rules: the setting's name and
 * the operator), for validators that judge the secret by what it was assigned to.
 */
export type Validator = (secret: string, prefix?: string) => boolean;

/**
 * Setting names that hold an identifier, a reference, a description or a digest of a secret rather than
 * the secret: `balanceTokenId`, `private_key_id`, `secret_name`, `token_type`, `password_length`,
 * `secretHash`. (A password hash is worth reporting as such; that is a rule of its own, not this one.)
 */
const NOT_A_SECRET_NAME =
  /(?:id|ids|uuid|guid|name|names|type|types|kind|url|uri|path|file|dir|length|len|count|size|prefix|suffix|header|field|version|format|policy|expiry|expires|expiration|ttl|timeout|hint|label|mode|env|var|ref|arn|hash|hashed|digest|checksum|fingerprint|sha|sha1|sha256|md5|salt|iv|nonce)["'\]]{0,2}\s*(?:=>|:=|=|:)\s*["']?$/i;

const validators: Record<string, Validator> = {
  /** Three base64url parts, the first two JSON, the header naming its algorithm. */
  jwt: (secret) => decodeJwt(secret) !== undefined,
  /** BEGIN/END labels that match around a base64 body (literal \n escapes allowed, as in JSON). */
  'pem-structure': (secret) => isPemBlock(secret),
  /** pypi- + a version-2 macaroon located at pypi.org or test.pypi.org. */
  'pypi-macaroon': (secret) => isPypiMacaroon(secret),
  /** Base64 whose decoded form could be a secret: random bytes, or text that is not words, a URL, a reference... */
  'base64-secret-like': (secret) => base64DecodesToSecretLike(secret),
  /** For assignment rules: the setting's name must not say it holds an id, a name, a type, a path... */
  'not-an-identifier-setting': (_secret, prefix = '') => !NOT_A_SECRET_NAME.test(prefix),
  /** ghp_/gho_/ghu_/ghs_/ghr_ + 30 random + 6 checksum. */
  'github-checksum': (secret) => /^gh[pousr]_[A-Za-z0-9]{36}$/.test(secret) && hasValidBase62Checksum(secret, 4),
  /** npm_ + 30 random + 6 checksum (npm adopted GitHub's format in 2021). */
  'npm-checksum': (secret) => /^npm_[A-Za-z0-9]{36}$/.test(secret) && hasValidBase62Checksum(secret, 4),
};

/**
 * Validators that only filter: they judge where the value sits or what it decodes to, not the value's own
 * evidence (a checksum, a structure), so passing one does not raise a finding's confidence.
 */
export const FILTER_VALIDATORS: ReadonlySet<string> = new Set(['not-an-identifier-setting', 'base64-secret-like']);

export function getValidator(name: string): Validator | undefined {
  return Object.hasOwn(validators, name) ? validators[name] : undefined;
}

export function validatorNames(): string[] {
  return Object.keys(validators).sort();
}
