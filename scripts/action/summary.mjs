#!/usr/bin/env node
/**
 * The job-summary step of the GitHub Action: reads secretscan's JSON report (DESIGN §3) and appends a
 * Markdown table of the new findings to $GITHUB_STEP_SUMMARY (to stdout when that is not set). It shows
 * no secret, not even the redacted prefix the JSON report keeps: a job summary is read by everyone who
 * can see the workflow run.
 *
 *   SECRETSCAN_JSON       the JSON report (a missing one is reported as a scan that did not complete)
 *   SECRETSCAN_EXIT_CODE  the scan's exit code (0, 1, 2)
 *   SECRETSCAN_RANGE      the commits scanned, for the heading
 *   SECRETSCAN_ERROR      why the scan did not complete, if it did not
 *   INPUT_FAIL_ON         the severity the job fails at
 */
import { appendFileSync, readFileSync } from 'node:fs';

const MAX_ROWS = 50;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const MARK = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };

const env = process.env;
const markdown = render();
if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown);
else process.stdout.write(markdown);

function render() {
  const lines = ['## secretscan', ''];
  const failOn = env.INPUT_FAIL_ON || 'low';
  const range = env.SECRETSCAN_RANGE ? ` in \`${cell(env.SECRETSCAN_RANGE)}\`` : '';
  let report;
  try {
    report = JSON.parse(readFileSync(env.SECRETSCAN_JSON ?? '', 'utf8'));
  } catch {
    lines.push(`⚠️ The scan did not complete${range}: ${cell(env.SECRETSCAN_ERROR || 'see the log of the scan step')}.`, '');
    return `${lines.join('\n')}\n`;
  }

  const findings = report.findings ?? [];
  const scanned = scannedText(report.scan ?? {});
  if (findings.length === 0) {
    lines.push(`✅ No new secrets${range} (${scanned}).`);
  } else {
    const bySeverity = SEVERITIES.map((severity) => [severity, findings.filter((f) => f.severity === severity).length]).filter(([, n]) => n > 0);
    const failing = failOn === 'never' ? 0 : findings.filter((f) => SEVERITIES.indexOf(f.severity) <= SEVERITIES.indexOf(failOn)).length;
    lines.push(
      `**${findings.length} new ${findings.length === 1 ? 'secret' : 'secrets'}**${range} (${scanned}): ${bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')}.`,
      failing > 0 ? `The job fails: ${failing} ${failing === 1 ? 'is' : 'are'} at or above \`${failOn}\`.` : `None is at or above \`${failOn}\`, so the job does not fail on them.`,
      '',
      '| | Severity | Credential | Where | Commit | Rule |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const finding of findings.slice(0, MAX_ROWS)) {
      const first = finding.occurrences?.[0] ?? {};
      const more = (finding.occurrences?.length ?? 1) - 1;
      const where = `\`${cell(first.path ?? '?')}:${first.line ?? '?'}\`${more > 0 ? ` and ${more} more` : ''}`;
      const commit = first.commit ? `\`${first.commit.slice(0, 12)}\`` : '';
      lines.push(
        `| ${MARK[finding.severity] ?? ''} | ${finding.severity} (${finding.score}) | ${cell(finding.title ?? finding.ruleId)} | ${where} | ${commit} | \`${cell(finding.ruleId)}\` |`,
      );
    }
    if (findings.length > MAX_ROWS) lines.push('', `… and ${findings.length - MAX_ROWS} more: see the JSON report or code scanning.`);
    lines.push(
      '',
      'Revoke and replace each of these credentials: deleting it from the code, or rewriting history, does not revoke it. ' +
        'To accept one for now, add it to the baseline (`secretscan baseline`, with a `reason` and an `expires` date).',
    );
  }
  const suppressed = report.suppressed ?? {};
  const parts = [
    ['by the baseline', suppressed.baseline],
    ['inline', suppressed.inline],
    ['by the allowlist', suppressed.allowlist],
  ].filter(([, n]) => n > 0);
  if (parts.length > 0) lines.push('', `Not reported: ${parts.map(([how, n]) => `${n} ${how}`).join(', ')} (locations).`);
  if ((report.errors ?? []).length > 0) lines.push('', `${report.errors.length} ${report.errors.length === 1 ? 'file' : 'files'} could not be scanned: see the JSON report.`);
  return `${lines.join('\n')}\n`;
}

function scannedText(scan) {
  if (scan.kind === 'git') return `${scan.commitsScanned ?? 0} ${scan.commitsScanned === 1 ? 'commit' : 'commits'} scanned`;
  return `${scan.filesScanned ?? 0} files scanned`;
}

/** Text safe inside a Markdown table cell and inline code. */
function cell(text) {
  return String(text).replace(/[|`\n\r]/g, (char) => (char === '|' ? '\\|' : char === '`' ? "'" : ' '));
}
