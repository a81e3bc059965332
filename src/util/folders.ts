import { statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Whether scan targets (none: the working directory) include a folder, the kind of scan that gets a
 * detection worker from the start. Asked by the launcher (src/early.ts) and by scan() alike; a target
 * that cannot be read is no folder here (the walk reports it).
 */
export function namesAFolder(targets: readonly string[], cwd: string): boolean {
  return (targets.length === 0 ? ['.'] : targets).some((target) => {
    try {
      return statSync(resolve(cwd, target)).isDirectory();
    } catch {
      return false;
    }
  });
}
