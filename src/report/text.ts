/**
 * The text report, for people: one block per finding (worst first) with every location, the redacted
 * secret and what to do about it, then one summary line. Colour comes from the caller's chalk instance
 * so --no-color, NO_COLOR and non-TTY output are decided in one place (the CLI).
 */
import type { ChalkInstance } from 'chalk';
import type { Severity } from '../types.js';
import { isSecret, type Report, type ReportFinding } from './redact.js';
import { summarize, type Summary } from './inventory.js';
import { firstAndLastSeen } from './seen.js';

export interface TextOptions {
  chalk: ChalkInstance;
  verbose: boolean;
  /** How many errors to list before "… and N more" (all with --verbose). */
  errorsShown?: number;
  /** How many locations of one finding to list before "… and N more" (all with --verbose). */
  locationsShown?: number;
}

/** Said once under any history scan that found something: the point people most often miss. */
export const NOT_REVOKED =
  'Deleting a secret from the code does not revoke it: every clone of the repository still has it in its history, and it stays valid until revoked. Revoke and rotate each secret above; rewriting history only limits who else can find it.';

const LABEL_WIDTH = 9;

export function renderText(report: Report, options: TextOptions): string {
  const { chalk, verbose } = options;
  const paint: Record<Severity, (text: string) => string> = {
    critical: (text) => chalk.bold.white.bgRed(text),
    high: (text) => chalk.bold.red(text),
    medium: (text) => chalk.yellow(text),
    low: (text) => chalk.cyan(text),
    info: (text) => chalk.gray(text),
  };
  const lines: string[] = [];

  const summary = summarize(report.findings);
  if (summary.findings > 0) lines.push(...renderInventory(summary, paint, chalk), '');

  const locationsShown = verbose ? Infinity : (options.locationsShown ?? 10);
  const names = new Map(report.findings.map((finding) => [finding.id, finding.rule.name]));
  for (const finding of report.findings) {
    lines.push(...renderFinding(finding, paint, chalk, verbose, locationsShown));
    // A key id and its secret are one credential: say so next to each half.
    for (const other of finding.pairedWith) lines.push(`  ${chalk.gray('pair'.padEnd(LABEL_WIDTH))}one credential with the ${names.get(other) ?? 'finding'} ${chalk.gray(other.slice(0, 12))}`);
    lines.push('');
  }
  if (report.stats.kind === 'git' && report.findings.some(isSecret)) lines.push(chalk.bold(NOT_REVOKED), '');

  const maxErrors = verbose ? Infinity : (options.errorsShown ?? 10);
  if (report.errors.length > 0) {
    lines.push(chalk.bold(`Skipped with errors (${report.errors.length}):`));
    for (const error of report.errors.slice(0, maxErrors)) lines.push(`  ${printablePath(error.path)}: ${error.message}`);
    if (report.errors.length > maxErrors) lines.push(chalk.gray(`  … and ${report.errors.length - maxErrors} more (--verbose lists all)`));
    lines.push('');
  }

  lines.push(summaryLine(report, chalk));
  return `${lines.join('\n')}\n`;
}

/**
 * A path as one inert line of text: file names may hold newlines (which would forge report lines) and
 * escape sequences (which a terminal would obey), so control characters are shown as \n, \t or \xNN.
 */
export function printablePath(path: string): string {
  return path.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

function renderFinding(
  finding: ReportFinding,
  paint: Record<Severity, (text: string) => string>,
  chalk: ChalkInstance,
  verbose: boolean,
  locationsShown: number,
): string[] {
  const label = (text: string) => chalk.gray(text.padEnd(LABEL_WIDTH));
  const lines = [`${paint[finding.severity](` ${finding.severity.toUpperCase()} `)} ${chalk.bold(finding.rule.name)} ${chalk.gray(`(${finding.rule.id})`)}`];
  lines.push(`  ${label(isSecret(finding) ? 'secret' : 'problem')}${finding.secret}`);
  finding.occurrences.slice(0, locationsShown).forEach((occurrence, index) => {
    const where = `${printablePath(occurrence.path)}:${occurrence.line}:${occurrence.column}`;
    const by = occurrence.author ? `, ${occurrence.author}${occurrence.email ? ` <${occurrence.email}>` : ''}` : '';
    const commit = occurrence.commit ? chalk.gray(` in ${occurrence.commit.slice(0, 12)}${occurrence.date ? ` (${occurrence.date.slice(0, 10)}${by})` : ''}`) : '';
    lines.push(`  ${label(index === 0 ? 'at' : '')}${chalk.underline(where)}${commit}`);
  });
  if (finding.occurrences.length > locationsShown) {
    lines.push(`  ${label('')}${chalk.gray(`… and ${finding.occurrences.length - locationsShown} more (--verbose or --format json lists all)`)}`);
  }
  const { firstSeen, lastSeen } = firstAndLastSeen(finding.occurrences);
  if (firstSeen && lastSeen) {
    const when = (seen: { commit: string; date: string }) => `${seen.date.slice(0, 10)} (${seen.commit.slice(0, 12)})`;
    const span = firstSeen.commit === lastSeen.commit ? `added ${when(firstSeen)}` : `first added ${when(firstSeen)}, last added ${when(lastSeen)}`;
    lines.push(`  ${label('history')}${span}; ${finding.presentAtHead === false ? 'no longer in HEAD' : 'still in HEAD'}`);
  }
  // A posture problem gone from HEAD was fixed; a secret gone from HEAD was not revoked by that.
  if (finding.presentAtHead === false && isSecret(finding)) {
    lines.push(`  ${label('note')}${chalk.yellow('Deleted from the code but still in the Git history, and still valid until revoked: deleting it did not revoke it.')}`);
  }
  lines.push(`  ${label('fix')}${finding.rule.remediation}`);
  if (verbose) {
    lines.push(`  ${label('score')}${finding.score} (${finding.scoreReasons.join('; ')})`);
    lines.push(
      `  ${label('details')}provider ${finding.rule.provider}, ${finding.rule.credentialType}, ${finding.rule.lifetime}, confidence ${finding.confidence}, entropy ${finding.entropy.toFixed(2)}, id ${finding.id}`,
    );
  }
  return lines;
}

/**
 * The inventory table: one row per provider and credential type, worst first. With history, the oldest
 * first-seen date says how long a credential has been exposed.
 */
function renderInventory(summary: Summary, paint: Record<Severity, (text: string) => string>, chalk: ChalkInstance): string[] {
  const withDates = summary.inventory.some((row) => row.oldestFirstSeen !== null);
  const header = ['PROVIDER', 'CREDENTIAL TYPE', 'FOUND', 'PLACES', 'WORST', 'LONG-LIVED', ...(withDates ? ['FIRST SEEN'] : []), 'AT HEAD'];
  const rows = summary.inventory.map((row) => [
    row.provider,
    row.credentialType,
    String(row.findings),
    String(row.locations),
    row.worstSeverity,
    String(row.longLived),
    ...(withDates ? [row.oldestFirstSeen?.slice(0, 10) ?? '-'] : []),
    String(row.atHead),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  const worstColumn = header.indexOf('WORST');
  return [
    chalk.bold('Credential inventory'),
    chalk.gray(format(header)),
    ...rows.map((cells, index) => {
      const text = format(cells);
      const severity = summary.inventory[index]!.worstSeverity;
      // Colour only the severity cell; padding stays plain so columns line up with or without colour.
      const before = cells.slice(0, worstColumn).map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
      const start = before.length + (worstColumn > 0 ? 2 : 0);
      return `${text.slice(0, start)}${paint[severity](severity)}${text.slice(start + severity.length)}`;
    }),
  ];
}

function summaryLine(report: Report, chalk: ChalkInstance): string {
  const { stats, findings, suppressed } = report;
  const bySeverity = new Map<Severity, number>();
  for (const finding of findings) bySeverity.set(finding.severity, (bySeverity.get(finding.severity) ?? 0) + 1);
  const locations = findings.reduce((sum, finding) => sum + finding.occurrences.length, 0);
  const parts: string[] = [];
  if (findings.length === 0) {
    parts.push(chalk.green('no secrets found'));
  } else {
    const detail = (['critical', 'high', 'medium', 'low', 'info'] as const)
      .filter((severity) => bySeverity.has(severity))
      .map((severity) => `${bySeverity.get(severity)} ${severity}`)
      .join(', ');
    parts.push(chalk.bold(`${plural(findings.length, 'secret')} (${detail}) in ${plural(locations, 'location')}`));
  }
  const suppressedTotal = suppressed.inline + suppressed.allowlist + suppressed.baseline;
  if (suppressedTotal > 0) {
    const detail = (['inline', 'allowlist', 'baseline'] as const)
      .filter((kind) => suppressed[kind] > 0)
      .map((kind) => `${suppressed[kind]} ${kind}`)
      .join(', ');
    parts.push(`${suppressedTotal} suppressed (${detail})`);
  }
  if (report.hidden && report.hidden.findings > 0) parts.push(`${plural(report.hidden.findings, 'finding')} below ${report.hidden.minSeverity} not shown`);
  const skipped = stats.skipped.binary + stats.skipped.tooLarge + stats.skipped.symlink + stats.skipped.unreadable + (stats.skipped.nonUtf8 ?? 0);
  if (stats.kind === 'git') {
    parts.push(
      `${plural(stats.commitsScanned, 'commit')}, ${plural(stats.blobsScanned, 'blob')} (${formatBytes(stats.bytesScanned)} of added lines) scanned in ${formatDuration(stats.durationMs)}`,
    );
  } else if (stats.kind === 'staged') {
    parts.push(`${plural(stats.filesScanned, 'staged file')} (${formatBytes(stats.bytesScanned)}) scanned in ${formatDuration(stats.durationMs)}`);
  } else {
    parts.push(`${plural(stats.filesScanned, 'file')} (${formatBytes(stats.bytesScanned)}) scanned in ${formatDuration(stats.durationMs)}`);
  }
  if (skipped > 0) {
    const detail = (
      [
        ['binary', stats.skipped.binary],
        ['too large', stats.skipped.tooLarge],
        ['symlink', stats.skipped.symlink],
        ['unreadable', stats.skipped.unreadable],
        ['not UTF-8', stats.skipped.nonUtf8 ?? 0],
      ] as const
    )
      .filter(([, count]) => count > 0)
      .map(([what, count]) => `${count} ${what}`)
      .join(', ');
    parts.push(`${skipped} skipped (${detail})`);
  }
  if (report.errors.length > 0) parts.push(chalk.yellow(plural(report.errors.length, 'error')));
  return parts.join(' · ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
