/**
 * Inline suppression: a comment on the line of the secret. `secretscan:allow` alone allows every rule;
 * `secretscan:allow rule-id[,rule-id] -- reason` only those rules. `gitleaks:allow` and detect-secrets'
 * `pragma: allowlist secret` are honoured too, so teams can migrate without editing every line.
 */

const DIRECTIVE = /secretscan:allow(?:[ \t]+([a-z0-9][a-z0-9,-]*))?/;
const FOREIGN_DIRECTIVES = ['gitleaks:allow', 'pragma: allowlist secret'];

export function isAllowedInline(lineText: string, ruleId: string): boolean {
  if (FOREIGN_DIRECTIVES.some((directive) => lineText.includes(directive))) return true;
  const match = DIRECTIVE.exec(lineText);
  if (!match) return false;
  const ruleIds = match[1];
  return ruleIds === undefined || ruleIds.split(',').includes(ruleId);
}
