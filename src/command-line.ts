/**
 * Reading a command line before the CLI has loaded (commander is part of it): the launcher starts a
 * scan's detection worker, or the pre-commit hook's `git diff --cached`, ahead of it (src/early.ts).
 * Light on purpose: the launcher loads this without the CLI.
 */

/**
 * The options of `secretscan scan` that take a value (cli.ts): their values are not targets. A test
 * compares this list with the command's help, so a new option cannot be forgotten here.
 */
export const SCAN_OPTIONS_WITH_VALUES = ['-f', '--format', '--baseline', '-o', '--output', '-c', '--config', '--fail-on', '--min-severity', '--rules', '--exclude', '--max-file-size', '--jobs'];

/** The same for `secretscan git`: their values are not the repository argument. */
export const GIT_OPTIONS_WITH_VALUES = ['--range', '--branch', '--since', '--max-commits', ...SCAN_OPTIONS_WITH_VALUES];

/**
 * A subcommand's arguments (after its name): the positional ones, and the options given, each with its
 * value (`--opt value` for those in `withValues`, or `--opt=value`) or true.
 */
function splitArguments(args: readonly string[], withValues: readonly string[]): { positionals: string[]; options: Map<string, string | true> } {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    const equals = arg.indexOf('=');
    if (!arg.startsWith('-') || arg === '-') positionals.push(arg);
    else if (arg.startsWith('--') && equals > 0) options.set(arg.slice(0, equals), arg.slice(equals + 1));
    else if (withValues.includes(arg)) options.set(arg, args[++i] ?? '');
    else options.set(arg, true);
  }
  return { positionals, options };
}

/**
 * The targets and the --jobs value of a scan's arguments (after `scan`): jobs undefined when absent,
 * null when not a positive integer (the CLI reports it).
 */
export function scanArguments(args: readonly string[]): { jobs: number | undefined | null; targets: string[] } {
  const { positionals, options } = splitArguments(args, SCAN_OPTIONS_WITH_VALUES);
  const jobs = options.get('--jobs');
  return { jobs: jobs === undefined ? undefined : typeof jobs === 'string' && /^[1-9][0-9]*$/.test(jobs) ? Number(jobs) : null, targets: positionals };
}

/**
 * `secretscan git --staged` on the repository of the current folder (no repository argument): its diff
 * can start before the CLI loads. Anything unusual (a repository named, `--help`) says no, and the CLI
 * starts the diff itself as before.
 */
export function isStagedRun(args: readonly string[]): boolean {
  if (args[0] !== 'git') return false;
  const { positionals, options } = splitArguments(args.slice(1), GIT_OPTIONS_WITH_VALUES);
  return options.has('--staged') && !options.has('-h') && !options.has('--help') && positionals.length === 0;
}
