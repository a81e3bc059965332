/**
 * The registry of offline validators, by the names rule files use in `validators:`. A validator looks
 * only at the secret (never the network). Returning false drops the candidate; passing raises the
 * finding's confidence.
 */
import { hasValidBase62Checksum } from './checksum.js';

export type Validator = (secret: string) => boolean;

const validators: Record<string, Validator> = {
  /** ghp_/gho_/ghu_/ghs_/ghr_ + 30 random + 6 checksum. */
  'github-checksum': (secret) => /^gh[pousr]_[A-Za-z0-9]{36}$/.test(secret) && hasValidBase62Checksum(secret, 4),
  /** npm_ + 30 random + 6 checksum (npm adopted GitHub's format in 2021). */
  'npm-checksum': (secret) => /^npm_[A-Za-z0-9]{36}$/.test(secret) && hasValidBase62Checksum(secret, 4),
};

export function getValidator(name: string): Validator | undefined {
  return Object.hasOwn(validators, name) ? validators[name] : undefined;
}

export function validatorNames(): string[] {
  return Object.keys(validators).sort();
}
