/**
 * CI checks (DESIGN §1): CI configuration files and AI-agent tool configs read with their platform's syntax.
 * They run beside the detectors, on the same files, and produce Candidates with `ci-…` (and `mcp-…`) rule ids
 * that flow through grouping, suppression, scoring and reporting like any other.
 *
 *   runCiChecks(file)            one file in, candidates (and parse errors) out; a bad file never throws
 *   runCiChecksWhenReady(file)   the same, after loading the `yaml` package if the file needs it
 *   ciRuleSpecs()                the checks' metadata as rules (for `secretscan rules` and SARIF)
 *   isSafeReference(value, p)    whether a detector's candidate is a reference in platform p's syntax
 *   reconcileCandidates(...)     detector and CI candidates of one file, without references and duplicates
 *   ciPlatformOf(path, text?)    which files these are (discovery), isCiConfigPath(path) for scoring
 */
import type { Candidate, ChunkOrigin, ScanError } from '../types.js';
import { literalWalk, modelChecks } from './checks.js';
import { ciPlatformOf, PLATFORM_NAMES, syntaxOf, type CiPlatform } from './files.js';
import { emptyModel, type PipelineModel } from './model.js';
import { azureModel } from './platforms/azure.js';
import { bitbucketModel } from './platforms/bitbucket.js';
import { buildkiteModel } from './platforms/buildkite.js';
import { circleciModel } from './platforms/circleci.js';
import { cloudbuildModel } from './platforms/cloudbuild.js';
import { codebuildModel } from './platforms/codebuild.js';
import { droneModel } from './platforms/drone.js';
import { genericModel } from './platforms/generic.js';
import { dependabotModel, githubModel } from './platforms/github.js';
import { gitlabModel } from './platforms/gitlab.js';
import { jenkinsfileChecks } from './platforms/jenkins.js';
import { kubernetesModel } from './platforms/kubernetes.js';
import { mcpChecks } from './platforms/mcp.js';
import { travisModel } from './platforms/travis.js';
import { isSafeReference } from './references.js';
import { LITERAL_VALUE_CHECKS } from './rules.js';
import { SourceFile, type Hit } from './source.js';
import { loadYamlFor, ParseError, parseJson, parseYaml, YamlNotLoadedError, type Node } from './tree.js';
export { loadYamlPackage } from './tree.js';

export { ciRuleSpecs, CI_CHECKS, ciRemediation, LITERAL_VALUE_CHECKS, type CiCheck, type CiRuleSpec } from './rules.js';
export { ciPlatformOf, couldBeCiConfig, globMatches, isAgentConfigPath, isCiConfigPath, CI_PLATFORMS, PLATFORM_NAMES, type CiPlatform } from './files.js';
export { isSafeReference, isSecretName } from './references.js';

/** Larger files are not parsed for CI checks (a pipeline definition is kilobytes); detectors still run. */
export const MAX_CI_FILE_SIZE = 8 * 1024 * 1024;

export interface CiFile {
  /** Relative to the scan root, `/` separators, as reported. */
  path: string;
  text: string;
}

export interface CiCheckOptions {
  /** The file's platform when the caller knows better than its path (a file a GitLab pipeline includes). */
  platform?: CiPlatform;
  /** Where the candidates say they come from; default `{ path, source: 'ci' }`. Git history passes its commit. */
  origin?: ChunkOrigin;
}

export interface CiCheckResult {
  candidates: Candidate[];
  /** A file that cannot be parsed: one error, no candidates (the detectors still read it as text). */
  errors: ScanError[];
  /** The platform the file was read as; undefined when it is not a CI or agent config. */
  platform?: CiPlatform;
  /** Spans of references and encrypted values (Travis `secure:`): detector candidates inside are not secrets. */
  safeSpans: [number, number][];
  /** GitLab: local files this pipeline includes (repository-relative paths or globs). */
  includes: string[];
}

/**
 * runCiChecks once what it needs is loaded: the `yaml` package, for YAML the plain parser declines
 * (tree.ts). Synchronous callers call loadYamlPackage() once instead.
 */
export async function runCiChecksWhenReady(file: CiFile, options: CiCheckOptions = {}): Promise<CiCheckResult> {
  const platform = options.platform ?? ciPlatformOf(file.path, file.text);
  if (platform && file.text.length <= MAX_CI_FILE_SIZE && syntaxOf(file.path, platform) === 'yaml') await loadYamlFor(file.text);
  return runCiChecks(file, options);
}

/**
 * The CI and agent-config checks for one file. A bad file never makes it throw: failures come back as
 * errors. YAML the plain parser declines needs the `yaml` package loaded (YamlNotLoadedError otherwise).
 */
export function runCiChecks(file: CiFile, options: CiCheckOptions = {}): CiCheckResult {
  const platform = options.platform ?? ciPlatformOf(file.path, file.text);
  const result: CiCheckResult = { candidates: [], errors: [], safeSpans: [], includes: [] };
  if (!platform) return result;
  result.platform = platform;
  if (file.text.length > MAX_CI_FILE_SIZE) {
    result.errors.push({ path: file.path, message: `too large for CI checks (${file.text.length} characters, limit ${MAX_CI_FILE_SIZE}); the secret detectors still read it` });
    return result;
  }
  const source = new SourceFile(file.path, file.text);
  const syntax = syntaxOf(file.path, platform);
  let hits: Hit[];
  try {
    if (syntax === 'groovy') hits = jenkinsfileChecks(source);
    else if (platform === 'mcp') hits = mcpChecks(source, syntax);
    else {
      const roots = syntax === 'json' ? [parseJson(file.text)] : parseYaml(file.text);
      const model = emptyModel();
      for (const root of roots) buildModel(platform, root, source, model);
      hits = [...model.hits, ...modelChecks(model, platform), ...literalWalk(roots, model, platform, source)];
      result.safeSpans = model.safeSpans;
      result.includes = model.includes;
    }
  } catch (error) {
    if (error instanceof YamlNotLoadedError) throw error;
    result.errors.push({ path: file.path, message: failureMessage(error, source, syntax, platform) });
    return result;
  }
  const origin = options.origin ?? { path: file.path, source: 'ci' };
  result.candidates = dedupe(hits).map((hit) => source.toCandidate(hit, origin));
  return result;
}

/** The platform's model of one YAML document, added to `model`. */
function buildModel(platform: CiPlatform, root: Node | null, file: SourceFile, model: PipelineModel): void {
  switch (platform) {
    case 'github':
    case 'gitea':
      return githubModel(root, file, platform, model);
    case 'dependabot':
      return dependabotModel(root, platform, model);
    case 'gitlab':
      return gitlabModel(root, file, model);
    case 'circleci':
      return circleciModel(root, file, model);
    case 'azure':
      return azureModel(root, file, model);
    case 'bitbucket':
      return bitbucketModel(root, file, model);
    case 'travis':
      return travisModel(root, file, model);
    case 'buildkite':
      return buildkiteModel(root, file, model);
    case 'drone':
    case 'woodpecker':
      return droneModel(root, file, platform, model);
    case 'cloudbuild':
      return cloudbuildModel(root, file, model);
    case 'codebuild':
      return codebuildModel(root, file, model);
    case 'tekton':
    case 'argo':
      return kubernetesModel(root, file, platform, model);
    default:
      // Cirrus, Harness, Jenkins Configuration as Code.
      return genericModel(root, file, platform, model);
  }
}

function failureMessage(error: unknown, source: SourceFile, syntax: string, platform: CiPlatform): string {
  if (error instanceof ParseError) {
    const { line, column } = source.position(error.offset);
    const language = syntax === 'json' ? 'JSON' : 'YAML';
    return `not valid ${language} (line ${line}, column ${column}: ${error.message}); ${PLATFORM_NAMES[platform]} checks skipped for this file, the secret detectors still read it`;
  }
  const message = error instanceof RangeError ? 'nested too deeply' : error instanceof Error ? error.message : String(error);
  return `CI checks failed (${message}); skipped for this file, the secret detectors still read it`;
}

/** One hit per rule and span, in file order. */
function dedupe(hits: readonly Hit[]): Hit[] {
  const seen = new Set<string>();
  const kept: Hit[] = [];
  for (const hit of [...hits].sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId))) {
    const key = `${hit.ruleId}\0${hit.start}\0${hit.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(hit);
  }
  return kept;
}

/**
 * Detector and CI candidates of one CI file, as the pipeline should group them:
 *
 * - detector candidates that are references in the platform's syntax, or inside a reference or encrypted
 *   value (Travis `secure:`), are dropped: `${{ secrets.X }}` is never a leak;
 * - CI checks about a literal value (ci-hardcoded-secret, mcp-literal-api-key, ci-credential-in-url,
 *   ci-registry-literal-password) yield to a detector candidate on the same span, as generic rules yield to
 *   provider rules: one secret, one finding, named by the most specific rule.
 */
export function reconcileCandidates(detected: readonly Candidate[], ci: Pick<CiCheckResult, 'candidates' | 'safeSpans' | 'platform'>): Candidate[] {
  const kept = detected.filter(
    (candidate) => !isSafeReference(candidate.secret, ci.platform) && !ci.safeSpans.some(([start, end]) => candidate.start >= start && candidate.end <= end),
  );
  const own = ci.candidates.filter(
    (candidate) => !LITERAL_VALUE_CHECKS.has(candidate.ruleId) || !kept.some((other) => other.start < candidate.end && candidate.start < other.end),
  );
  return [...kept, ...own];
}
