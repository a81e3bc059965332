/**
 * The paths given on the command line, with glob patterns expanded: `secretscan scan 'deploy/**\/*.env'`
 * works whether or not the shell expanded the pattern (quoted, or from a CI file or a Windows shell).
 *
 * A path that exists is taken as given, even one literally named `a*b`. One that does not exist and is
 * a glob pattern is expanded with fast-glob: regular files only, dotfiles included, symbolic links not
 * followed, `.git` and `node_modules` left out, in a stable order. Like a path named on the command
 * line, what a pattern names is scanned even if a .gitignore ignores it. A pattern that matches nothing
 * is an error, as a missing path is: a typo must not pass as a clean scan.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export class TargetPatternError extends Error {}

export async function expandTargets(cwd: string, targets: readonly string[]): Promise<string[]> {
  const expanded: string[] = [];
  for (const target of targets) {
    if (existsSync(resolve(cwd, target))) {
      expanded.push(target);
      continue;
    }
    // Loaded only when a pattern is given: start-up time matters on the pre-commit path.
    const { default: fastGlob } = await import('fast-glob');
    if (!fastGlob.isDynamicPattern(target)) {
      expanded.push(target);
      continue;
    }
    const pattern = isAbsolute(target) ? fastGlob.convertPathToPattern(target) : target;
    const matches = await fastGlob(pattern, {
      cwd,
      dot: true,
      onlyFiles: true,
      followSymbolicLinks: false,
      ignore: ['**/.git/**', '**/node_modules/**'],
      absolute: isAbsolute(target),
    });
    if (matches.length === 0) throw new TargetPatternError(`${target}: no file matches this pattern; check it, and quote it so the shell passes it on unchanged`);
    expanded.push(...matches.sort());
  }
  return expanded;
}
