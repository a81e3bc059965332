/**
 * Node built-ins that only some runs need, loaded at their first use instead of at start-up: the
 * pre-commit hook (`git --staged`) pays for every module it loads, and usually finds nothing to hash
 * and starts no worker. Measured alone in a fresh process: node:crypto ~4-5 ms, node:worker_threads
 * ~2-4 ms.
 */
import { createRequire } from 'node:module';
import type { Hash } from 'node:crypto';

const requireBuiltin = createRequire(import.meta.url);
let crypto: typeof import('node:crypto') | undefined;
let workerThreads: typeof import('node:worker_threads') | undefined;

export function createHash(algorithm: 'sha1' | 'sha256'): Hash {
  crypto ??= requireBuiltin('node:crypto') as typeof import('node:crypto');
  return crypto.createHash(algorithm);
}

export function workerThreadsModule(): typeof import('node:worker_threads') {
  workerThreads ??= requireBuiltin('node:worker_threads') as typeof import('node:worker_threads');
  return workerThreads;
}
