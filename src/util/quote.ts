/**
 * Text that may be a secret, for an error message: anything long enough to be one is cut to its start,
 * so a secret pasted into the wrong place (a config key, an allowlist pattern) never reaches a CI log
 * whole. Keys, dates and typos are shorter than that.
 */
export function shortQuote(text: string): string {
  return text.length < 12 ? text : `${text.slice(0, 6)}…`;
}

/**
 * A message's first line, for a one-line error: parsers quote the offending text, which may hold a lone
 * CR or a Unicode line separator as well as LF (`npm run fuzz` found yaml's "Not a YAML token: \r>").
 */
export function firstLine(message: string): string {
  return message.split(/\r\n|[\r\n\u2028\u2029]/)[0]!.trim();
}
