/**
 * Path rules: credentials known by the name of the file that holds them rather than by its text. Java
 * and PKCS#12 key stores, KeePass databases and GnuPG secret keyrings are binary, so the content detector
 * never sees them (the sources skip binary files); their names say what they are.
 *
 * A path rule reports the file itself, at line 1, column 1. Its "secret" is the file's Git blob id
 * (`blob:` + SHA-1 of "blob <size>\0" + content), never the content: the same key store committed in two
 * places groups as one finding with two occurrences, a changed key store is a new finding, and the id is
 * what `git log --all --find-object=<id>` takes to find every commit that carried it.
 *
 * Rules are evaluated once per file path, not per chunk: sources ask `wants(path)` before they drop a
 * binary file, and `detect` on the same path answers from the last evaluation.
 */
import { createHash } from '../util/builtins.js';
import type { Candidate, ChunkOrigin, RuleSpec } from '../types.js';
import { RuleCompileError } from './detector.js';
import { compilePattern, type CompiledPattern } from './regex.js';

export interface CompiledPathRule {
  spec: RuleSpec;
  pattern: CompiledPattern;
  /** Lower-case; a path containing one is not reported (truststore.jks holds public certificates). */
  stopwords: string[];
}

export function compilePathRule(spec: RuleSpec): CompiledPathRule {
  if (spec.path === undefined) throw new RuleCompileError(spec, 'not a path rule');
  let pattern: CompiledPattern;
  try {
    pattern = compilePattern(spec.path, spec.builtin);
  } catch (error) {
    throw new RuleCompileError(spec, `path does not compile: ${(error as Error).message}`);
  }
  return { spec, pattern, stopwords: spec.stopwords.map((word) => word.toLowerCase()) };
}

/** The Git object id of a blob with these bytes: what `git hash-object` prints. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export class PathRules {
  private lastPath: string | undefined;
  private lastMatches: CompiledPathRule[] = [];

  constructor(readonly rules: readonly CompiledPathRule[]) {}

  get specs(): RuleSpec[] {
    return this.rules.map((rule) => rule.spec);
  }

  /** Whether some path rule reports a file at this path: a source keeps a binary file it would drop. */
  wants(path: string): boolean {
    return this.matching(path).length > 0;
  }

  /**
   * One candidate per rule that matches the path. An empty file reports nothing: it holds no key (a
   * placeholder committed to keep a folder, or a file touched by a build script).
   */
  detect(origin: ChunkOrigin, bytes: Uint8Array): Candidate[] {
    const rules = this.matching(origin.path);
    if (rules.length === 0 || bytes.length === 0) return [];
    const secret = `blob:${gitBlobId(bytes)}`;
    return rules.map((rule) => ({
      ruleId: rule.spec.id,
      secret,
      start: 0,
      end: 0,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      lineText: '',
      validated: [],
      entropy: 0,
      origin,
    }));
  }

  private matching(path: string): CompiledPathRule[] {
    if (path === this.lastPath) return this.lastMatches;
    const lower = path.toLowerCase();
    this.lastPath = path;
    this.lastMatches = this.rules.filter((rule) => rule.pattern.test(path) && !rule.stopwords.some((word) => lower.includes(word)));
    return this.lastMatches;
  }
}
