/**
 * Text that may be a secret, for an error message: anything long enough to be one is cut to its start,
 * so a secret pasted into the wrong place (a config key, an allowlist pattern) never reaches a CI log
 * whole. Keys, dates and typos are shorter than that.
 */
export function shortQuote(text: string): string {
  return text.length < 12 ? text : `${text.slice(0, 6)}…`;
}
