/**
 * GitLab's secret-detection report (`artifacts: reports: secret_detection:`), schema version 15.2.1, so
 * findings show in merge-request security widgets, the pipeline's security tab and the vulnerability
 * report. GitLab rejects a report that does not match its schema as a whole, so this writes only the
 * fields it defines, within their limits.
 *
 * One vulnerability per occurrence, like GitLab's own analyzer: its first identifier (GitLab's primary
 * one) is the rule, and the finding id rides along as a second identifier and in `details`. GitLab's
 * analyzer copies the raw secret into `raw_source_code_extract`; this writes it only with --show-secrets.
 * Every location needs a commit: a history occurrence has its own; a working-tree one gets the commit the
 * pipeline runs on (CI_COMMIT_SHA, passed in by the CLI), or `0000000` as GitLab's analyzer writes for a
 * scan outside Git.
 */
import { createHash } from '../util/builtins.js';
import type { Occurrence, Severity } from '../types.js';
import { isSecret, type Report, type ReportFinding } from './redact.js';

export const GITLAB_SCHEMA_VERSION = '15.2.1';
export const GITLAB_SCHEMA_URI = `https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v${GITLAB_SCHEMA_VERSION}/dist/secret-detection-report-format.json`;
const NO_COMMIT = '0000000';

export interface GitlabOptions {
  tool: { name: string; version: string };
  /** The commit a working-tree scan looked at (CI_COMMIT_SHA in GitLab CI). */
  commitSha?: string;
  /** When the scan ended (default: now); it started durationMs before. */
  finishedAt?: Date;
}

const SEVERITY: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };
/** The schema's maxLength limits. */
const LIMITS = { name: 255, description: 1_048_576, solution: 7_000 } as const;

export function renderGitlab(report: Report, options: GitlabOptions): string {
  const finishedAt = options.finishedAt ?? new Date();
  const startedAt = new Date(finishedAt.getTime() - report.stats.durationMs);
  const component = { id: options.tool.name, name: options.tool.name, version: options.tool.version, vendor: { name: options.tool.name } };
  const document = {
    version: GITLAB_SCHEMA_VERSION,
    schema: GITLAB_SCHEMA_URI,
    scan: {
      analyzer: component,
      scanner: component,
      type: 'secret_detection',
      start_time: gitlabTime(startedAt),
      end_time: gitlabTime(finishedAt),
      status: 'success',
      messages: report.errors.map((error) => ({ level: 'warn', value: `${error.path}: ${error.message}` })),
    },
    vulnerabilities: report.findings.flatMap((finding) => finding.occurrences.map((occurrence) => vulnerability(finding, occurrence, report, options))),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function vulnerability(finding: ReportFinding, occurrence: Occurrence, report: Report, options: GitlabOptions): object {
  const { rule } = finding;
  const commit = occurrence.commit ?? options.commitSha ?? NO_COMMIT;
  const links = rule.references.filter((url) => /^https?:\/\/.+/.test(url)).map((url) => ({ url }));
  const where = occurrence.commit ? `added in commit ${occurrence.commit.slice(0, 12)}${occurrence.date ? ` on ${occurrence.date.slice(0, 10)}` : ''}` : `in ${occurrence.path}`;
  return {
    id: uuidFrom(`${finding.id}\0${occurrence.commit ?? ''}\0${occurrence.path}\0${occurrence.line}\0${occurrence.column}`),
    name: cut(rule.name, LIMITS.name),
    description: cut(
      isSecret(finding)
        ? `${rule.name} (${rule.id}) ${where}: ${finding.severity} severity, score ${finding.score} (${finding.scoreReasons.join('; ')}). Anyone who can read it can use it until it is revoked.`
        : `${rule.name} (${rule.id}) ${where}: ${finding.secret}. ${finding.severity} severity, score ${finding.score} (${finding.scoreReasons.join('; ')}).`,
      LIMITS.description,
    ),
    severity: SEVERITY[finding.severity],
    solution: cut(rule.remediation || 'Revoke the credential and issue a new one.', LIMITS.solution),
    identifiers: [
      { type: 'secretscan_rule_id', name: `secretscan rule ${rule.id}`, value: rule.id },
      { type: 'secretscan_finding_id', name: `secretscan finding ${finding.id}`, value: finding.id },
    ],
    ...(links.length > 0 ? { links } : {}),
    location: {
      file: occurrence.path,
      start_line: occurrence.line,
      end_line: occurrence.endLine,
      commit: {
        sha: commit,
        ...(occurrence.author !== undefined ? { author: occurrence.author } : {}),
        ...(occurrence.date !== undefined ? { date: occurrence.date } : {}),
      },
    },
    details: {
      finding_id: { name: 'Finding id', type: 'text', value: finding.id },
      score: { name: 'Score (0-100)', type: 'value', value: finding.score },
      confidence: { name: 'Confidence', type: 'text', value: finding.confidence },
      provider: { name: 'Provider', type: 'text', value: rule.provider },
    },
    ...(report.secretsShown ? { raw_source_code_extract: finding.secret } : {}),
  };
}

/** yyyy-mm-ddThh:mm:ss in UTC, the only form the schema accepts. */
function gitlabTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** A UUID-shaped id derived from `key`: the same occurrence keeps its id from pipeline to pipeline. */
function uuidFrom(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
