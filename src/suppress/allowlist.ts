/**
 * The config's allowlist: paths (gitignore-syntax globs on the reported path), regexes (RE2, on the
 * secret) and stopwords (substrings of the secret), globally and per rule (`byRule`). Regexes run on
 * the linear-time engine: they come from users.
 */
import createIgnore, { type Ignore } from 'ignore';
import type { AllowlistConfig, ConfigFile } from '../config/load.js';
import { compilePattern, loadLinearEngine, type CompiledPattern } from '../detect/regex.js';
import { shortQuote } from '../util/quote.js';

export class AllowlistError extends Error {}

interface CompiledAllowlist {
  paths: Ignore | undefined;
  regexes: CompiledPattern[];
  stopwords: string[];
}

export class Allowlist {
  private constructor(
    private readonly global: CompiledAllowlist,
    private readonly byRule: Map<string, CompiledAllowlist>,
  ) {}

  static async create(config: ConfigFile['allowlist'], origin: string): Promise<Allowlist> {
    if (config?.regexes?.length || Object.values(config?.byRule ?? {}).some((entry) => entry.regexes?.length)) {
      await loadLinearEngine();
    }
    const byRule = new Map<string, CompiledAllowlist>();
    for (const [ruleId, entry] of Object.entries(config?.byRule ?? {})) {
      byRule.set(ruleId, compile(entry, `${origin}: allowlist.byRule.${ruleId}`));
    }
    return new Allowlist(compile(config ?? {}, `${origin}: allowlist`), byRule);
  }

  /** Whether the whole secret is allowed (for every occurrence). */
  allowsSecret(ruleId: string, secret: string): boolean {
    return secretMatches(this.global, secret) || secretMatches(this.byRule.get(ruleId), secret);
  }

  allowsPath(ruleId: string, path: string): boolean {
    return pathMatches(this.global, path) || pathMatches(this.byRule.get(ruleId), path);
  }
}

function compile(entry: AllowlistConfig, where: string): CompiledAllowlist {
  const regexes = (entry.regexes ?? []).map((pattern, index) => {
    try {
      return compilePattern(pattern, false);
    } catch (error) {
      throw new AllowlistError(`${where}.regexes[${index}]: ${withoutPattern((error as Error).message, pattern)}`);
    }
  });
  return {
    paths: entry.paths?.length ? createIgnore().add(entry.paths) : undefined,
    regexes,
    stopwords: (entry.stopwords ?? []).map((word) => word.toLowerCase()),
  };
}

/**
 * The engine's message quotes the pattern, and an allowlist regex is often the very secret being allowed
 * (a literal token): show only its start. The index in `where` already says which entry it is.
 */
function withoutPattern(message: string, pattern: string): string {
  const text = pattern.length >= 12 ? message.split(pattern).join(shortQuote(pattern)) : message;
  return text.replace(/`([^`]{12,})`/g, (_quoted, inner: string) => `\`${shortQuote(inner)}\``);
}

function secretMatches(list: CompiledAllowlist | undefined, secret: string): boolean {
  if (!list) return false;
  if (list.stopwords.length > 0) {
    const lower = secret.toLowerCase();
    if (list.stopwords.some((word) => lower.includes(word))) return true;
  }
  return list.regexes.some((regex) => regex.test(secret));
}

function pathMatches(list: CompiledAllowlist | undefined, path: string): boolean {
  if (!list?.paths || path === '' || path.startsWith('/') || path.startsWith('..')) return false;
  return list.paths.ignores(path);
}
