/**
 * `secretscan hook install`: a plain pre-commit hook that runs `secretscan git --staged`. Hook managers
 * (pre-commit, husky, lefthook) are configured by hand instead; see the README.
 *
 * The hook goes where git looks for it (`git rev-parse --git-path hooks/pre-commit`: the common git dir
 * for worktrees). An existing hook is never replaced without --force, except one this command wrote. When
 * core.hooksPath is set (husky does this), git never reads .git/hooks, so writing there would silently do
 * nothing: that is an error that says where the command belongs instead.
 */
import { chmod, readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { GitError, gitOutput } from './git.js';

const MARKER = 'written by "secretscan hook install"';

export const HOOK_SCRIPT = `#!/bin/sh
# secretscan pre-commit hook (${MARKER}).
# Blocks a commit whose staged changes add a credential. "git commit --no-verify" skips it once.
if [ -x node_modules/.bin/secretscan ]; then
  exec node_modules/.bin/secretscan git --staged
elif command -v secretscan >/dev/null 2>&1; then
  exec secretscan git --staged
else
  exec npx --no-install secretscan git --staged
fi
`;

export async function installHook(path: string, options: { force: boolean }): Promise<{ hookPath: string; replaced: boolean }> {
  let hooksPath: string;
  let gitPath: string;
  try {
    hooksPath = (await gitOutput(path, ['config', '--get', 'core.hooksPath'], { allowFailure: true })).stdout.toString('utf8').trim();
    gitPath = (await gitOutput(path, ['rev-parse', '--git-path', 'hooks/pre-commit'])).stdout.toString('utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new GitError('hook install: git is not on PATH; a pre-commit hook needs git to run it');
    if (error instanceof GitError) throw new GitError(`hook install: ${path} is not in a Git repository (${error.message}); run it inside the repository`);
    throw error;
  }
  if (hooksPath) {
    throw new GitError(
      `hook install: core.hooksPath is set to "${hooksPath}", so git ignores .git/hooks; add "secretscan git --staged" to the pre-commit hook there (husky: .husky/pre-commit), or unset core.hooksPath`,
    );
  }
  const hookPath = isAbsolute(gitPath) ? gitPath : join(path, gitPath);
  let existing: string | undefined;
  try {
    existing = await readFile(hookPath, 'utf8');
  } catch {
    existing = undefined;
  }
  if (existing !== undefined && !existing.includes(MARKER) && !options.force) {
    throw new GitError(
      `hook install: ${relative(path, hookPath) || hookPath} already exists; add "secretscan git --staged" to it, or run "secretscan hook install --force" to replace it`,
    );
  }
  await mkdir(dirname(hookPath), { recursive: true });
  await writeFile(hookPath, HOOK_SCRIPT);
  await chmod(hookPath, 0o755);
  return { hookPath, replaced: existing !== undefined };
}
