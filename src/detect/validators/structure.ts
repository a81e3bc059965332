/**
 * Offline structure checks for formats that carry their own evidence: a JWT is three base64url parts
 * whose first two decode to JSON; a PEM block has matching BEGIN/END labels around a base64 body; a PyPI
 * token is a base64 macaroon whose location is pypi.org. Failing one means the match is a look-alike.
 */

export interface JwtParts {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** Header and claims of a JWT, or undefined when the value is not one (wrong shape, not JSON, no alg). */
export function decodeJwt(token: string): JwtParts | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = decodeJsonPart(parts[0]!);
  const claims = decodeJsonPart(parts[1]!);
  if (!header || !claims || typeof header.alg !== 'string') return undefined;
  // An unsigned token (alg none) authenticates nothing; anything else needs its signature.
  if (header.alg.toLowerCase() !== 'none' && !/^[A-Za-z0-9_-]{16,}$/.test(parts[2]!)) return undefined;
  return { header, claims };
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const PEM_BLOCK = /^-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----$/;
/**
 * RFC 1421 headers of legacy encrypted keys (Proc-Type, DEK-Info) may precede the body, indented like
 * the rest of the block when it is embedded in YAML or code.
 */
const PEM_HEADER_LINE = /^\s*[A-Za-z-]+:.*$/gm;

/**
 * A PEM block: labels match and the body is base64 of at least 64 bytes. Blocks embedded in JSON or
 * code strings have literal `\n` escapes instead of newlines; those are accepted.
 */
export function isPemBlock(block: string): boolean {
  const normalized = block.replace(/\\r|\\n/g, '\n').replace(/\r/g, '');
  const match = PEM_BLOCK.exec(normalized.trim());
  if (!match || match[1] !== match[3]) return false;
  const body = match[2]!.replace(PEM_HEADER_LINE, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return false;
  return Buffer.from(body, 'base64').length >= 64;
}

/** `pypi-` + a base64url macaroon (format version 2) whose first field is the location pypi.org. */
export function isPypiMacaroon(token: string): boolean {
  if (!token.startsWith('pypi-')) return false;
  const encoded = token.slice(5);
  if (!/^[A-Za-z0-9_-]{40,}$/.test(encoded)) return false;
  const bytes = Buffer.from(encoded.slice(0, 64), 'base64url');
  // Version byte 2, field type 1 (location), a length, then the location itself.
  if (bytes[0] !== 0x02 || bytes[1] !== 0x01) return false;
  const location = bytes.subarray(3, 3 + bytes[2]!).toString('latin1');
  return location === 'pypi.org' || location === 'test.pypi.org';
}
