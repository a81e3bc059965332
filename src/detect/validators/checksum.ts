/**
 * Offline token checksums. GitHub (ghp_, gho_, ghu_, ghs_, ghr_) and npm (npm_) tokens end in six base62
 * characters that encode a CRC32 of the random part, so a scanner can tell a real token from a
 * coincidental string without asking the provider.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE) of an ASCII string. Own table because zlib.crc32 arrived only in Node 20.15. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/** The six-character checksum GitHub and npm append to a token's random part. */
export function base62Crc32Checksum(randomPart: string): string {
  return base62(crc32(randomPart), 6);
}

/**
 * `prefix_` + random + 6-character checksum. The prefix (everything up to and including the last
 * `_` before the random part) is not covered by the checksum.
 */
export function hasValidBase62Checksum(token: string, prefixLength: number): boolean {
  if (token.length <= prefixLength + 6) return false;
  const randomPart = token.slice(prefixLength, -6);
  return base62Crc32Checksum(randomPart) === token.slice(-6);
}
