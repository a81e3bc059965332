/** UTF-16 text, by its byte-order mark: its bytes interleave NULs, so ASCII keywords are not visible in them. */
export function hasUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}
