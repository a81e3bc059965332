/**
 * The SARIF 2.1.0 report (DESIGN §4), for GitHub code scanning and any SARIF viewer: one run per scan,
 * one result per occurrence, rules described from rule data. It gets a redacted Report like every
 * reporter, and puts no secret in the file unless the report was made with --show-secrets (then in
 * `properties.secret` only, never in a message).
 *
 * What GitHub reads, and how it is filled:
 * - `tool.driver.rules[]`: the rules that have results (built-in, user and CI-check rules alike: each
 *   finding carries its rule), with `properties["security-severity"]` = score / 10 as a string. GitHub
 *   reads severity per rule, not per result, so a rule gets the highest score among its findings (and
 *   each result also carries its own in its properties).
 * - `partialFingerprints.primaryLocationLineHash`: GitHub's own line hash (line-hash.ts) of the file
 *   version the occurrence is in, when the caller could read it; `secretscan/v1`: the finding id, which
 *   follows the secret wherever it moves.
 * - `automationDetails.id`: `secretscan/<kind>/`, so a history scan and a working-tree scan of the same
 *   repository are separate analyses that do not close each other's alerts.
 * - GitHub takes at most 25,000 results per run: beyond that the least severe are left out (findings are
 *   sorted worst first), and a notice says so.
 */
import { pathToFileURL } from 'node:url';
import { FILTER_VALIDATORS } from '../detect/validators/index.js';
import { ruleSeverity } from '../score/score.js';
import type { Occurrence, RuleSpec, ScanKind, Severity } from '../types.js';
import { lineHashKey, type LineHashes } from './line-hash.js';
import { isSecret, type Report, type ReportFinding } from './redact.js';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub code scanning's limit of results per run. */
export const GITHUB_MAX_RESULTS = 25_000;
/** The content fingerprint's name: bump the version if what the finding id hashes ever changes. */
export const FINGERPRINT_KEY = 'secretscan/v1';

export interface SarifOptions {
  tool: { name: string; version: string };
  /** primaryLocationLineHash values from collectLineHashes(); results without one get none. */
  lineHashes?: LineHashes;
  /** Default GITHUB_MAX_RESULTS. */
  maxResults?: number;
}

export interface SarifOutput {
  text: string;
  /** One-line notices for stderr (results left out). */
  notices: string[];
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

export function renderSarif(report: Report, options: SarifOptions): SarifOutput {
  const maxResults = options.maxResults ?? GITHUB_MAX_RESULTS;
  const rules = rulesOf(report.findings);
  const ruleIndex = new Map(rules.map((entry, index) => [entry.rule.id, index]));

  const results: object[] = [];
  const total = report.findings.reduce((sum, finding) => sum + finding.occurrences.length, 0);
  let leftOutWorst: Severity | undefined;
  for (const finding of report.findings) {
    for (const occurrence of finding.occurrences) {
      if (results.length >= maxResults) {
        leftOutWorst ??= finding.severity;
        continue;
      }
      results.push(result(finding, occurrence, ruleIndex.get(finding.rule.id)!, report, options.lineHashes));
    }
  }

  const notices: string[] = [];
  const notifications: object[] = report.errors.map((error) => ({
    level: 'warning',
    message: { text: `${error.path}: ${error.message}` },
  }));
  if (leftOutWorst !== undefined) {
    const notice = `SARIF holds ${maxResults.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} results, GitHub's limit per run: the ${(total - maxResults).toLocaleString('en-US')} least severe (${leftOutWorst} and below) were left out; the JSON report has them all`;
    notices.push(notice);
    notifications.push({ level: 'warning', message: { text: notice } });
  }

  const document = {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: options.tool.name,
            version: options.tool.version,
            semanticVersion: options.tool.version,
            rules: rules.map(({ rule, score }) => describeRule(rule, score)),
          },
        },
        automationDetails: { id: automationId(report.stats.kind) },
        originalUriBaseIds: { '%SRCROOT%': { uri: directoryUri(report.stats.root) } },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
        properties: {
          scanKind: report.stats.kind,
          suppressed: report.suppressed,
          secretsShown: report.secretsShown,
          ...(leftOutWorst !== undefined ? { resultsLeftOut: total - maxResults } : {}),
        },
      },
    ],
  };
  return { text: `${JSON.stringify(document, null, 2)}\n`, notices };
}

export function automationId(kind: ScanKind): string {
  return `secretscan/${kind}/`;
}

/** The rules that have results, sorted by id, each with the highest score among its findings. */
function rulesOf(findings: readonly ReportFinding[]): { rule: RuleSpec; score: number }[] {
  const byId = new Map<string, { rule: RuleSpec; score: number }>();
  for (const finding of findings) {
    const entry = byId.get(finding.rule.id);
    if (!entry) byId.set(finding.rule.id, { rule: finding.rule, score: finding.score });
    else entry.score = Math.max(entry.score, finding.score);
  }
  return [...byId.values()].sort((a, b) => (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0));
}

/**
 * CI-check rules (src/ci) are RuleSpecs with two more fields, written for reporters: a `description` of
 * what the check looks for and a Markdown `help` with each platform's fix. Used when present.
 */
interface DescribedRule extends RuleSpec {
  description?: unknown;
  help?: unknown;
}

function describeRule(rule: DescribedRule, score: number): object {
  const what = `${rule.name}: a ${rule.lifetime === 'unknown' ? '' : `${rule.lifetime} `}${rule.credentialType} for ${rule.provider}`;
  const privilege = rule.privilege === 'unknown' ? '' : `, with ${rule.privilege} privilege`;
  const remediation = rule.remediation || 'Revoke the credential and issue a new one.';
  const references = rule.references.length > 0 ? `\n\nReferences:\n${rule.references.map((url) => `- ${url}`).join('\n')}` : '';
  const referencesMarkdown = references ? `\n\n**References**\n\n${rule.references.map((url) => `- <${url}>`).join('\n')}` : '';
  const helpMarkdown = typeof rule.help === 'string' && rule.help ? rule.help : escapeMarkdown(remediation);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.name },
    fullDescription: {
      text: typeof rule.description === 'string' && rule.description ? rule.description : `${what}${privilege}. Anyone who can read it can use it until it is revoked.`,
    },
    help: {
      text: `${remediation}${references}`,
      markdown: `**${escapeMarkdown(rule.name)}** (\`${rule.id}\`)\n\n${helpMarkdown}${referencesMarkdown}`,
    },
    ...(rule.references[0] && /^https?:\/\//.test(rule.references[0]) ? { helpUri: rule.references[0] } : {}),
    defaultConfiguration: { level: LEVEL[ruleSeverity(rule)] },
    properties: {
      tags: [...new Set(['security', 'secret', rule.provider, rule.credentialType])],
      precision: precisionOf(rule),
      'security-severity': securitySeverity(score),
    },
  };
}

function result(finding: ReportFinding, occurrence: Occurrence, ruleIndex: number, report: Report, lineHashes: LineHashes | undefined): object {
  const lineHash = lineHashes?.get(lineHashKey(occurrence));
  return {
    ruleId: finding.rule.id,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: messageFor(finding, occurrence) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodePath(occurrence.path), uriBaseId: '%SRCROOT%' },
          region: { startLine: occurrence.line, startColumn: occurrence.column, endLine: occurrence.endLine, endColumn: occurrence.endColumn },
        },
      },
    ],
    partialFingerprints: {
      ...(lineHash !== undefined ? { primaryLocationLineHash: lineHash } : {}),
      [FINGERPRINT_KEY]: finding.id,
    },
    properties: {
      findingId: finding.id,
      severity: finding.severity,
      score: finding.score,
      'security-severity': securitySeverity(finding.score),
      confidence: finding.confidence,
      source: occurrence.source,
      ...(occurrence.commit !== undefined ? { commit: occurrence.commit } : {}),
      ...(occurrence.date !== undefined ? { date: occurrence.date } : {}),
      ...(occurrence.author !== undefined ? { author: occurrence.author } : {}),
      ...(occurrence.decoded !== undefined ? { decoded: occurrence.decoded } : {}),
      ...(finding.presentAtHead !== undefined ? { presentAtHead: finding.presentAtHead } : {}),
      ...(report.secretsShown ? { secret: finding.secret } : {}),
      ...(isSecret(finding) ? {} : { problem: finding.secret }),
    },
  };
}

/**
 * What was found and what to do, from rule data and provenance only: no secret, not even its redacted
 * prefix (a code-scanning alert is read far more widely than a CI log). A posture finding's description
 * is not a secret and says what is wrong, so it is part of the message.
 */
function messageFor(finding: ReportFinding, occurrence: Occurrence): string {
  const what = `${finding.rule.name} (${finding.rule.id})${occurrence.decoded ? `, ${occurrence.decoded}-encoded,` : ''}`;
  const rating = `${finding.severity} severity, score ${finding.score}`;
  if (!isSecret(finding)) {
    // A CI posture problem: its description holds no secret, and "revoke" is not the fix.
    const where = occurrence.source === 'history' && occurrence.commit ? `added in commit ${occurrence.commit.slice(0, 12)}` : `in ${occurrence.path}`;
    return `${what} ${where}: ${finding.secret}. ${rating}; see the rule's help for the fix.`;
  }
  if (occurrence.source === 'history' && occurrence.commit) {
    const when = occurrence.date ? ` on ${occurrence.date.slice(0, 10)}` : '';
    const still = finding.presentAtHead === false ? ' It is no longer in the code, but removing it revoked nothing:' : '';
    return `${what} added in commit ${occurrence.commit.slice(0, 12)}${when}: ${rating}.${still} Revoke and rotate it; see the rule's help.`;
  }
  const staged = occurrence.source === 'staged' ? ' (staged)' : '';
  return `${what} in ${occurrence.path}${staged}: ${rating}. Revoke and rotate it; see the rule's help.`;
}

function securitySeverity(score: number): string {
  return (score / 10).toFixed(1);
}

function precisionOf(rule: RuleSpec): 'very-high' | 'high' | 'medium' | 'low' {
  // Only a validator that checks the value's own evidence (a checksum, a structure) earns "very-high", as in scoring.
  if (rule.validators.some((name) => !FILTER_VALIDATORS.has(name))) return 'very-high';
  if (rule.credentialType.startsWith('generic')) return 'low';
  return rule.keywords.length > 0 ? 'high' : 'medium';
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The scan root as a file URI ending in `/`, as SARIF wants for a base that relative URIs resolve against. */
function directoryUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1');
}
