/**
 * What a CI value is: a reference to a secret kept elsewhere (safe: `${{ secrets.X }}`, `$VAR`,
 * `credentials('id')`, ...), a literal that could be a credential, or neither; and whether a setting's name
 * says it holds a secret. Shared by every CI check, and by the pipeline, which drops detector candidates that
 * are references (isSafeReference) in CI files.
 */
import { createHash } from '../util/builtins.js';
import { isPlaceholder } from '../detect/placeholders.js';
import type { CiPlatform } from './files.js';

/**
 * Reference forms that can appear inside a larger value ("Bearer ${{ secrets.TOKEN }}"): a value that holds
 * one is assembled from a stored secret, not a literal. Every platform's forms apply to every platform: none
 * of them is ever part of a real credential, and templates are copied between platforms.
 */
const EMBEDDED_REFERENCES: RegExp[] = [
  /\$\{\{[\s\S]*?\}\}/, // GitHub Actions, Gitea, Forgejo; Azure template expressions ${{ variables.x }}
  /\$\[\[[\s\S]*?\]\]/, // GitLab CI/CD inputs $[[ inputs.x ]]
  /\$\[[^\]]*\]/, // Azure runtime expressions $[ variables.x ]
  /\$\{[A-Za-z_#!@][^}]*\}/, // ${VAR}, ${VAR:-x}, ${env:X}, ${input:x} (VS Code), ${env.X} (Jenkins)
  /\$\([^)]*\)/, // $(var) (Azure, Tekton) and shell command substitution
  /<<\s*[\w.-]+\s*>>/, // CircleCI << parameters.x >>
  /<\+[^>]*>/, // Harness <+secrets.getValue("x")>
  /\(\([\w.\-/:]+\)\)/, // Concourse ((var))
  /ENCRYPTED\[[^\]]*\]/, // Cirrus CI
  /\bcredentials\s*\(\s*['"][^'"]*['"]\s*\)/, // Jenkins credentials('id')
  /\{\{[^}]*\}\}/, // Argo {{inputs.parameters.x}}, Jinja, Helm
  /%[A-Za-z_][\w.]*%/, // %VAR% (Windows), %env.X% (TeamCity)
  /#\{[^}]+\}/, // #{var} (Octopus, Ruby interpolation)
  /\$\$?[A-Za-z_][A-Za-z0-9_]*\b/, // $VAR and $$VAR: only in values that are nothing but references (below)
];

/** The bare-variable form: a value is a reference only if it is made of such references and separators. */
const BARE_VARIABLE = /\$\$?[A-Za-z_][A-Za-z0-9_]*/g;

/** Whole-value forms: pointers into secret stores and environment lookups. */
const WHOLE_REFERENCES: RegExp[] = [
  /^\$env:[A-Za-z_]\w*$/i, // PowerShell
  /^(?:env|params|secrets|vars|inputs)\.[A-Za-z_][\w-]*$/, // Jenkins env.X, params.X; expression contexts
  /^(?:op|vault|sm|ssm|secretsmanager|awssm|aws-sm|gcpsm|gcp-sm|azkv|keyvault|akv|doppler|infisical|bws|sops):\/\/?\S+$/i,
  /^vault:[\w/.-]+(?:#\w+)?$/i,
  /^arn:aws[\w-]*:(?:secretsmanager|ssm|kms):/,
  /^projects\/[^/]+\/secrets\/[^/]+(?:\/versions\/[^/]+)?$/, // Google Secret Manager
  /^projects\/[^/]+\/locations\/[^/]+\/keyRings\//, // Cloud KMS
  /^https:\/\/[\w-]+\.vault\.azure\.net\/secrets\//, // Azure Key Vault
];

/**
 * True when `value` (a setting's value, or a detector candidate's secret) is a reference to a secret kept
 * elsewhere in `platform`'s syntax, not a leaked value. The pipeline drops detector candidates for which
 * this holds in CI files.
 */
export function isSafeReference(value: string, platform?: CiPlatform): boolean {
  const trimmed = value.trim().replace(/^["']|["']$/g, '');
  if (trimmed === '') return false;
  for (const form of WHOLE_REFERENCES) if (form.test(trimmed)) return true;
  for (const form of EMBEDDED_REFERENCES.slice(0, -1)) if (form.test(trimmed)) return true;
  if (platform === 'jenkins' && /^\$?\{?(?:env|params)\.\w+\}?$/.test(trimmed)) return true;
  // A value made only of $VARs and separators ("$USER:$TOKEN", "$$DB_PASSWORD") is assembled at run time;
  // a value with a $ in the middle of other characters ("aB3$xY9...") is a password that happens to hold one.
  const rest = trimmed.replace(BARE_VARIABLE, '');
  return rest.length < trimmed.length && /^[\s:@/=,;"'-]*$/.test(rest);
}

/** True when `value` contains any reference form, even next to literal text ("token ${{ secrets.X }}"). */
export function containsReference(value: string): boolean {
  return EMBEDDED_REFERENCES.slice(0, -1).some((form) => form.test(value)) || isSafeReference(value);
}

// ------------------------------------------------------------------------------------------------- names

/** Words that make a setting's name a secret's name. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'passcode',
  'secret',
  'secrets',
  'token',
  'apikey',
  'credential',
  'credentials',
  'creds',
  'privatekey',
  'pat',
  'authtoken',
  'accesstoken',
  'clientsecret',
]);

/** `…_KEY` is a secret's name only with one of these before it (a cache `key:` is not). */
const KEY_QUALIFIERS = new Set(['api', 'access', 'secret', 'private', 'auth', 'signing', 'encryption', 'master', 'license', 'client', 'app', 'account', 'storage', 'service', 'sas', 'subscription', 'shared', 'hmac', 'ingest', 'admin', 'deploy', 'write', 'publish', 'upload', 'sentry', 'webhook', 'x', 'ssh', 'gpg', 'pgp', 'encrypt', 'decrypt', 'jwt', 'session', 'bot', 'user']);

/** A last word that makes the name describe a secret rather than hold one (TOKEN_URL, SECRET_NAME). */
const DESCRIPTOR_WORDS = new Set([
  'id',
  'ids',
  'name',
  'names',
  'type',
  'types',
  'url',
  'uri',
  'urls',
  'endpoint',
  'host',
  'hostname',
  'path',
  'paths',
  'file',
  'filename',
  'dir',
  'directory',
  'length',
  'len',
  'size',
  'ttl',
  'expiry',
  'expires',
  'expiration',
  'timeout',
  'version',
  'arn',
  'ref',
  'env',
  'var',
  'vars',
  'variable',
  'count',
  'header',
  'prefix',
  'suffix',
  'field',
  'scope',
  'scopes',
  'user',
  'username',
  'login',
  'email',
  'port',
  'region',
  'policy',
  'mode',
  'format',
  'enabled',
  'enable',
  'disabled',
  'required',
  'provider',
  'kind',
  'method',
  'algorithm',
  'location',
  'store',
  'source',
  'filter',
  'pattern',
  'label',
  'hint',
  'description',
  'help',
  'mask',
  'masked',
  'protected',
  'command',
  'cmd',
  'helper',
  'manager',
  'engine',
  'rotation',
  'strategy',
  'min',
  'max',
  'lifetime',
  'duration',
  'audience',
  'issuer',
  'subject',
  'owner',
  'fingerprint',
  'permissions',
  'permission',
  'key', // SECRET_KEY is handled before this list is consulted
  'keys',
  'output',
  'outputs',
  'input',
  'inputs',
  'from',
  'ref',
  'refs',
  'mount',
  'volume',
  'ciphertext',
  'encrypted',
  'hash',
  'digest',
  'salt',
  'reference',
  'secretref',
  'keyref',
  'option',
  'options',
  'parameter',
  'parameters',
  'stdin',
]);

/**
 * Words anywhere in the name that mean the value is not a secret: public keys (PUBLIC_KEY,
 * STRIPE_PUBLISHABLE_KEY), and settings about secrets (SECRET_DETECTION_HISTORIC_SCAN, TOKEN_ROTATION_DAYS).
 */
const PUBLIC_WORDS = new Set(['public', 'publishable', 'pubkey', 'pub', 'detection', 'scanning', 'scanner', 'scan', 'rotation', 'expiry', 'expiration', 'lifetime', 'limit', 'budget', 'usage']);

/** The words of a setting's name: split at _ - . / spaces and camelCase humps, lower-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** True when a setting, variable, header or flag named `name` holds a secret (API_TOKEN, dbPassword, x-api-key). */
export function isSecretName(name: string): boolean {
  const words = nameWords(name.replace(/^-+/, ''));
  if (words.length === 0) return false;
  if (words.some((word) => PUBLIC_WORDS.has(word))) return false;
  const last = words[words.length - 1]!;
  if (last === 'key' || last === 'keys') {
    const before = words[words.length - 2];
    return before !== undefined && (KEY_QUALIFIERS.has(before) || SECRET_WORDS.has(before));
  }
  if (DESCRIPTOR_WORDS.has(last)) return false;
  // "auth" names a credential only at the end (NPM_AUTH, Authorization), not in AUTH_TYPE or AUTH_URL.
  if (last === 'auth' || last === 'authorization') return true;
  // A glued name like APIKEY, ACCESSTOKEN or GITHUBTOKEN.
  const joined = words.join('');
  if (/(?:apikey|accesskey|secretkey|privatekey|authkey|token|password|passwd|secret)$/.test(joined) && !/(?:public|publishable)/.test(joined)) return true;
  return words.some((word) => SECRET_WORDS.has(word));
}

// ------------------------------------------------------------------------------------------------ values

/** Values that a CI file sets for throwaway service containers and local tools: not worth a finding. */
const TRIVIAL_VALUES = new Set([
  'postgres',
  'postgresql',
  'password',
  'passw0rd',
  'password1',
  'password123',
  'passw0rd1',
  'abcd1234',
  'abc12345',
  '12345678',
  'qwerty123',
  'letmein1',
  'welcome1',
  'test1234',
  'testpass',
  'testpassword',
  'secret1234',
  'root',
  'rootroot',
  'secret',
  'secret123',
  'test',
  'testing',
  'testtest',
  'admin',
  'admin123',
  'mysql',
  'guest',
  'docker',
  'default',
  'changeit',
  'anonymous',
  'unused',
  'none',
  'null',
  'undefined',
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'required',
  'optional',
  'not-needed',
  'not_needed',
  'notneeded',
  'disabled',
  'enabled',
]);

/**
 * Published keys of local emulators that every developer machine shares (they open nothing real), by
 * SHA-256 so this file does not hold them: the Azure Cosmos DB emulator key and the Azurite / Azure
 * Storage emulator account key (devstoreaccount1).
 */
const PUBLISHED_EMULATOR_KEYS = new Set(['aa6547439583c3a275d4542a0df6c1ad6a863971be9f2a2220f027cc02aef615', '0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059']);

/**
 * True when `value`, assigned to a secret-named setting, could be a literal credential: not empty, not a
 * reference, not a placeholder, not a path or URL, not an obvious name of something, at least `minLength`
 * characters. No entropy floor: the name already says it is a secret, and `hunter2hunter2` is one.
 */
export function isLiteralSecretValue(value: string, platform?: CiPlatform, minLength = 8): boolean {
  const trimmed = value.trim();
  if (trimmed.length < minLength || trimmed.length > 8192) return false;
  if (/\s/.test(trimmed)) return false; // sentences, lists of names, commands
  if (containsReference(trimmed) || isSafeReference(trimmed, platform)) return false;
  if (isPlaceholder(trimmed)) return false;
  const lower = trimmed.toLowerCase();
  if (TRIVIAL_VALUES.has(lower)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return false; // URLs: credentials in them are ci-credential-in-url
  if (/^(?:\/|\.{1,2}\/|~\/)/.test(trimmed)) return false; // paths
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(trimmed) || /^[A-Z]+$/.test(trimmed)) return false; // an env var's name
  if (/^[a-z]+(?:[-_.][a-z]+)*$/.test(trimmed)) return false; // lower-case words: a name, not a credential
  if (/^[A-Za-z]{1,15}$/.test(trimmed)) return false; // one short word (randomSecret, localKey): a stand-in
  if (/^\d{1,15}$/.test(trimmed)) return false; // a number: a port, a count, an id
  if (/^\d+(?:\.\d+)+$/.test(trimmed)) return false; // a version
  if (trimmed.length === 88 && PUBLISHED_EMULATOR_KEYS.has(createHash('sha256').update(trimmed).digest('hex'))) return false;
  return true;
}
