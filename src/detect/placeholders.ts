/**
 * The placeholder filter: values that stand where a secret would go but are not one. Applied to every
 * rule's candidate secret after the match, so rule files need not repeat it. Templating syntaxes,
 * documentation values and masked values are the usual false positives of secret scanners; a real
 * random token contains one of these words by chance with negligible probability (62^-4 per position
 * for a four-letter word).
 */

/** Whole-value forms: the value is a reference to a secret kept elsewhere, not the secret. */
const REFERENCE_FORMS: RegExp[] = [
  /\$\{\{[^}]*\}\}/, // ${{ secrets.X }} (GitHub Actions)
  /\$\{[^}]*\}/, // ${VAR}
  /\{\{[^}]*\}\}/, // {{ var }} (Jinja, Helm, Handlebars)
  /^\$\(?[A-Za-z_][A-Za-z0-9_]*\)?$/, // $VAR, $(VAR)
  /%[A-Za-z_][A-Za-z0-9_]*%/, // %VAR% (Windows)
  /^<[^<>]+>$|^<[A-Za-z_ -]+>/, // <token>, <your key>
  /<\+secrets\.getValue/, // Harness
  /^\(\([A-Za-z0-9_.-]+\)\)$/, // ((var)) (Concourse)
  /^(?:process\.env|os\.environ|os\.getenv|env\.|ENV\[|System\.getenv|getenv)/,
  /^\[?(?:REDACTED|MASKED|HIDDEN|FILTERED|OMITTED)\]?$/i,
  // A secret-store reference: AWS CodeBuild's secrets-manager "name:json-key", Parameter Store paths.
  // Lower-case words only, so base64 secrets (which have slashes too, and capitals) never match.
  /^[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)+:[a-z0-9_.-]+$/,
  // A file path with an extension ("bin/secretscan.js", "./certs/key.pem"): base64 and hex secrets have no
  // dot, JWTs no slash, URLs a colon.
  /^(?:\.{0,2}\/)?(?:[\w@.-]+\/)+[\w@-]+(?:\.[\w-]+)*\.[A-Za-z][A-Za-z0-9]{0,7}$/,
];

/** Substrings that mark a documentation or sample value. Case-insensitive. */
const PLACEHOLDER_WORDS = [
  'example',
  'changeme',
  'change_me',
  'change-me',
  'placeholder',
  'your_',
  'your-',
  'yourkey',
  'yourtoken',
  'yoursecret',
  'yourpassword',
  'xxxx',
  '****',
  // An elided value in documentation: "sk-ant-api03-...", "ghp_…".
  '...',
  '\u2026',
  'dummy',
  'sample',
  'redacted',
  'replace_me',
  'replaceme',
  'insert_',
  'fake',
  'notreal',
  'not_a_real',
  'secret_here',
  'key_here',
  'token_here',
  'password_here',
  '1234567890',
  'abcdefgh',
  'lorem',
];

/** Published example credentials (AWS documentation). */
const DOCUMENTED_EXAMPLES = new Set(['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);
/** jwt.io's sample token ({"sub":"1234567890","name":"John Doe","iat":1516239022}), in any signature. */
const JWT_IO_SAMPLE = 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ';

export function isPlaceholder(secret: string): boolean {
  if (isPlainPlaceholder(secret)) return true;
  // A base64 value that decodes to a placeholder is one too (Kubernetes Secret data, Docker auth).
  const decoded = decodedBase64Text(secret);
  return decoded !== undefined && isPlainPlaceholder(decoded);
}

/** The text a base64 value stands for, when it is base64 of printable text. */
function decodedBase64Text(value: string): string | undefined {
  if (value.length < 12 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const text = Buffer.from(value, 'base64').toString('latin1');
  return /^[\x20-\x7e\t\r\n]+$/.test(text) ? text.trim() : undefined;
}

function isPlainPlaceholder(secret: string): boolean {
  if (DOCUMENTED_EXAMPLES.has(secret) || secret.includes(JWT_IO_SAMPLE)) return true;
  const lower = secret.toLowerCase();
  for (const word of PLACEHOLDER_WORDS) if (lower.includes(word)) return true;
  for (const form of REFERENCE_FORMS) if (form.test(secret)) return true;
  return isRepetitive(secret);
}

/** A value made of one character, or of one short unit repeated ("abcabcabc", "0000"). */
function isRepetitive(secret: string): boolean {
  if (secret.length < 4) return false;
  for (let unit = 1; unit <= 4 && unit * 2 <= secret.length; unit++) {
    let repeats = true;
    for (let i = unit; i < secret.length; i++) {
      if (secret.charCodeAt(i) !== secret.charCodeAt(i % unit)) {
        repeats = false;
        break;
      }
    }
    if (repeats) return true;
  }
  return false;
}
