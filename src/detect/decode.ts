/**
 * Secrets one level down: base64 values (Kubernetes Secret `data:`, Docker `auth`, a secret-named
 * setting holding base64) and URL-encoded text (`token%3Dghp_…`). Part of the detect stage.
 *
 * Only lines near a trigger keyword are looked at, so files without one pay nothing. On such a line each
 * encoded run is decoded and put back in place of the original, so that the rest of the line still gives
 * context (`password: <decoded>` is an assignment the generic rules understand); the detector runs on that
 * decoded line, and a candidate counts only if it lies inside the decoded part. It is reported at the
 * encoded span, with `decoded` saying how it was hidden. One level only: decoded text is not decoded again.
 */

export type Encoding = 'base64' | 'url';

/** Lower-case literals near which decoding is worth trying; added to the keyword prefilter. */
export const DECODE_TRIGGERS: Readonly<Record<string, Encoding>> = {
  'kind: secret': 'base64',
  '"auth"': 'base64',
  'basic ': 'base64',
  'base64': 'base64',
  'password': 'base64',
  'secret': 'base64',
  'token': 'base64',
  '%2f': 'url',
  '%3a': 'url',
  '%3d': 'url',
  '%40': 'url',
};

/** A decoded line: the text to detect in, and how its offsets map back to the original. */
export interface DecodedLine {
  text: string;
  encoding: Encoding;
  /** Decoded regions as [decodedStart, decodedEnd, originalStart, originalEnd], offsets within the line. */
  regions: number[];
}

/** A base64 run shorter than this is too short to hide a credential. */
const MIN_BASE64_RUN = 16;
/** 1 for the characters of standard and URL-safe base64 (padding aside). */
const IS_BASE64 = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') IS_BASE64[char.charCodeAt(0)] = 1;
/** Longer lines (minified code, data blobs) are not decoded: secrets in them sit on their own lines. */
export const MAX_DECODED_LINE = 8192;

export function decodeBase64Line(line: string): DecodedLine | undefined {
  if (line.length > MAX_DECODED_LINE) return undefined;
  let text = '';
  let last = 0;
  const regions: number[] = [];
  // A hand-written scan for runs: the regex /[A-Za-z0-9+/_-]{16,}={0,2}/g retried up to 15 characters at
  // every start, and these lines are every line with "token" or "secret" on them.
  for (let i = 0; i < line.length; ) {
    const code = line.charCodeAt(i);
    if (code >= 128 || IS_BASE64[code] === 0) {
      i++;
      continue;
    }
    const start = i;
    while (i < line.length && line.charCodeAt(i) < 128 && IS_BASE64[line.charCodeAt(i)] === 1) i++;
    if (i - start < MIN_BASE64_RUN) continue;
    let end = i;
    // Bounded: a read past the end is NaN to JavaScript but deoptimized this function each time (4
    // times a bench scan), and it is one of the busiest of a scan.
    if (end < line.length && line.charCodeAt(end) === 61) end++;
    if (end < line.length && line.charCodeAt(end) === 61) end++;
    i = end;
    const decoded = decodeBase64Text(line.slice(start, end));
    if (decoded === undefined) continue;
    text += line.slice(last, start);
    regions.push(text.length, text.length + decoded.length, start, end);
    text += decoded;
    last = end;
  }
  if (regions.length === 0) return undefined;
  return { text: text + line.slice(last), encoding: 'base64', regions };
}

/**
 * Text that a base64 run decodes to, when it is printable text: random bytes (hashes, keys, images) and
 * runs that are just identifiers (`thisIsAVariableName` decodes to noise) fail this.
 */
function decodeBase64Text(run: string): string | undefined {
  const body = run.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  // Mixed case and no separators is what encoded text looks like; a word or an identifier is not base64.
  if (!/[A-Z]/.test(body) || !/[a-z0-9]/.test(body)) return undefined;
  const bytes = Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < 8) return undefined;
  for (const byte of bytes) {
    if ((byte < 0x20 || byte > 0x7e) && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return undefined;
  }
  return bytes.toString('latin1');
}

export function decodeUrlLine(line: string): DecodedLine | undefined {
  if (line.length > MAX_DECODED_LINE || !/%[0-9A-Fa-f]{2}/.test(line)) return undefined;
  // Decoded per escape so each decoded character maps back to where it came from.
  let text = '';
  const regions: number[] = [];
  for (let i = 0; i < line.length; ) {
    const escape = /^%([0-9A-Fa-f]{2})/.exec(line.slice(i, i + 3));
    if (escape) {
      const code = Number.parseInt(escape[1]!, 16);
      if (code >= 0x20 && code <= 0x7e) {
        regions.push(text.length, text.length + 1, i, i + 3);
        text += String.fromCharCode(code);
        i += 3;
        continue;
      }
    }
    text += line[i];
    i++;
  }
  if (regions.length === 0) return undefined;
  return { text, encoding: 'url', regions };
}

/**
 * Where a candidate found in a decoded line lies in the original line, or undefined when it does not
 * touch any decoded region (then it was visible without decoding, and the plain pass found it).
 */
export function mapToOriginal(decoded: DecodedLine, start: number, end: number): [number, number] | undefined {
  let originalStart = -1;
  let originalEnd = -1;
  const { regions } = decoded;
  for (let r = 0; r < regions.length; r += 4) {
    const [dStart, dEnd, oStart, oEnd] = [regions[r]!, regions[r + 1]!, regions[r + 2]!, regions[r + 3]!];
    if (dStart < end && start < dEnd) {
      if (originalStart === -1) originalStart = oStart;
      originalEnd = oEnd;
    }
  }
  if (originalStart === -1) return undefined;
  // For URL decoding the candidate may extend past the escapes: cover its plain characters too.
  if (decoded.encoding === 'url') {
    originalStart = Math.min(originalStart, toOriginal(decoded, start));
    originalEnd = Math.max(originalEnd, toOriginal(decoded, end));
  }
  return [originalStart, originalEnd];
}

/** An offset in the decoded line to the original one: shifted by the regions before it. */
function toOriginal(decoded: DecodedLine, offset: number): number {
  let shift = 0;
  const { regions } = decoded;
  for (let r = 0; r < regions.length; r += 4) {
    if (regions[r + 1]! <= offset) shift += regions[r + 3]! - regions[r + 2]! - (regions[r + 1]! - regions[r]!);
  }
  return offset + shift;
}
