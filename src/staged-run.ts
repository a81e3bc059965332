/**
 * Recognising the pre-commit hook's command line before the CLI has loaded, so that the launcher can
 * start its `git diff --cached` first (src/sources/git-spawn.ts). Light on purpose: the launcher loads
 * it without the CLI.
 */

/**
 * The options of `secretscan git` that take a value (cli.ts): their values are not the repository
 * argument. A test compares this list with the command's help, so a new option cannot be forgotten.
 */
export const GIT_OPTIONS_WITH_VALUES = ['--range', '--branch', '--since', '--max-commits', '-f', '--format', '--baseline', '-o', '--output', '-c', '--config', '--fail-on', '--min-severity', '--rules', '--exclude', '--max-file-size', '--jobs'];

/**
 * `secretscan git --staged` on the repository of the current folder (no repository argument): its diff
 * can start before the CLI loads. Anything unusual (a repository named, `--help`) says no, and the CLI
 * starts the diff itself as before.
 */
export function isStagedRun(args: readonly string[]): boolean {
  if (args[0] !== 'git') return false;
  let staged = false;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--staged') staged = true;
    else if (arg === '-h' || arg === '--help' || arg === '--' || !arg.startsWith('-')) return false;
    else if (GIT_OPTIONS_WITH_VALUES.includes(arg)) i++;
  }
  return staged;
}
