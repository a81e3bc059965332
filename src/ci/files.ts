/**
 * Which files are CI/CD configuration or AI-agent tool configuration, and for which platform. Scoring raises
 * findings in CI files (pipelines hold the most powerful non-human credentials: isCiConfigPath), and the CI
 * checks read both kinds (ciPlatformOf). Paths are as reported: relative, `/` separators.
 *
 * Most files are known by their path. A few are known only by what they hold: Tekton and Argo manifests live
 * anywhere, and any JSON, YAML or TOML file with an `mcpServers` table wires up MCP servers. For those, the
 * caller passes the text; couldBeCiConfig(path) says whether a file is worth decoding to ask.
 */
import { escapeRegExp } from '../util/regexp.js';

export type CiPlatform =
  | 'github' // GitHub Actions workflows and composite actions
  | 'gitea' // Gitea and Forgejo Actions (GitHub's syntax, no OIDC)
  | 'dependabot'
  | 'gitlab'
  | 'circleci'
  | 'jenkins' // Jenkinsfile (Groovy) and Configuration as Code (jenkins.yaml)
  | 'azure'
  | 'bitbucket'
  | 'travis'
  | 'buildkite'
  | 'drone'
  | 'woodpecker'
  | 'cloudbuild'
  | 'codebuild'
  | 'tekton'
  | 'argo'
  | 'cirrus'
  | 'harness'
  | 'mcp'; // MCP server configs of AI agents and editors

export const CI_PLATFORMS: readonly CiPlatform[] = [
  'github',
  'gitea',
  'dependabot',
  'gitlab',
  'circleci',
  'jenkins',
  'azure',
  'bitbucket',
  'travis',
  'buildkite',
  'drone',
  'woodpecker',
  'cloudbuild',
  'codebuild',
  'tekton',
  'argo',
  'cirrus',
  'harness',
  'mcp',
];

/** Display names, for messages and remediation. */
export const PLATFORM_NAMES: Record<CiPlatform, string> = {
  github: 'GitHub Actions',
  gitea: 'Gitea/Forgejo Actions',
  dependabot: 'Dependabot',
  gitlab: 'GitLab CI/CD',
  circleci: 'CircleCI',
  jenkins: 'Jenkins',
  azure: 'Azure Pipelines',
  bitbucket: 'Bitbucket Pipelines',
  travis: 'Travis CI',
  buildkite: 'Buildkite',
  drone: 'Drone',
  woodpecker: 'Woodpecker CI',
  cloudbuild: 'Google Cloud Build',
  codebuild: 'AWS CodeBuild',
  tekton: 'Tekton',
  argo: 'Argo Workflows',
  cirrus: 'Cirrus CI',
  harness: 'Harness',
  mcp: 'MCP client configuration',
};

const YAML = String.raw`\.ya?ml`;

/** Known by path alone. Order matters only where two could match: the first wins. */
const PATH_PLATFORMS: [RegExp, CiPlatform][] = [
  [new RegExp(String.raw`(^|/)\.github/workflows/[^/]+${YAML}$`, 'i'), 'github'],
  [new RegExp(String.raw`(^|/)\.github/dependabot${YAML}$`, 'i'), 'dependabot'],
  [new RegExp(String.raw`(^|/)action${YAML}$`, 'i'), 'github'], // composite and Docker actions
  [new RegExp(String.raw`(^|/)\.(gitea|forgejo)/workflows/[^/]+${YAML}$`, 'i'), 'gitea'],
  [new RegExp(String.raw`(^|/)\.gitlab-ci${YAML}$`, 'i'), 'gitlab'],
  [new RegExp(String.raw`(^|/)[^/]+\.gitlab-ci${YAML}$`, 'i'), 'gitlab'],
  [new RegExp(String.raw`(^|/)\.gitlab/ci/.+${YAML}$`, 'i'), 'gitlab'],
  [new RegExp(String.raw`(^|/)\.circleci/[^/]+${YAML}$`, 'i'), 'circleci'],
  [/(^|\/)(?:[^/]+\.)?jenkinsfile(?:[._-](?!(?:md|txt|rst|adoc|html?)$)[A-Za-z0-9_-]+)?$/i, 'jenkins'],
  [new RegExp(String.raw`(^|/)jenkins${YAML}$`, 'i'), 'jenkins'], // Configuration as Code
  [new RegExp(String.raw`(^|/)azure-pipelines[^/]*${YAML}$`, 'i'), 'azure'],
  [new RegExp(String.raw`(^|/)\.azure-pipelines/.+${YAML}$`, 'i'), 'azure'],
  [new RegExp(String.raw`(^|/)bitbucket-pipelines${YAML}$`, 'i'), 'bitbucket'],
  [new RegExp(String.raw`(^|/)\.travis${YAML}$`, 'i'), 'travis'],
  [new RegExp(String.raw`(^|/)\.buildkite/.+${YAML}$`, 'i'), 'buildkite'],
  [new RegExp(String.raw`(^|/)buildkite${YAML}$`, 'i'), 'buildkite'],
  [new RegExp(String.raw`(^|/)\.drone${YAML}$`, 'i'), 'drone'],
  [new RegExp(String.raw`(^|/)\.woodpecker(${YAML}|/[^/]+${YAML})$`, 'i'), 'woodpecker'],
  [new RegExp(String.raw`(^|/)cloudbuild[^/]*(${YAML}|\.json)$`, 'i'), 'cloudbuild'],
  [new RegExp(String.raw`(^|/)buildspec[^/]*${YAML}$`, 'i'), 'codebuild'],
  [new RegExp(String.raw`(^|/)\.tekton/.+${YAML}$`, 'i'), 'tekton'],
  [new RegExp(String.raw`(^|/)\.cirrus${YAML}$`, 'i'), 'cirrus'],
  [new RegExp(String.raw`(^|/)\.harness/.+${YAML}$`, 'i'), 'harness'],
  // MCP clients: Claude Code (.mcp.json), Cursor (.cursor/mcp.json), VS Code (.vscode/mcp.json), Amazon Q
  // (.amazonq/mcp.json), Claude Desktop, Windsurf (mcp_config.json), Cline and Roo Code.
  [/(^|\/)\.?mcp\.json$/i, 'mcp'],
  [/(^|\/)claude_desktop_config\.json$/i, 'mcp'],
  [/(^|\/)(?:mcp_config|mcp_settings|cline_mcp_settings)\.json$/i, 'mcp'],
];

/** MCP server tables, by the key each client uses. */
const MCP_CONTENT = /["']?(?:mcpServers|mcp_servers|context_servers)["']?\s*[:=\]{]|\[mcp_servers[.\]]/;
const TEKTON_CONTENT = /^apiVersion:\s*["']?tekton\.dev\//m;
const ARGO_CONTENT = /^apiVersion:\s*["']?argoproj\.io\/[\s\S]*?^kind:\s*["']?(?:Workflow|WorkflowTemplate|ClusterWorkflowTemplate|CronWorkflow)\b/m;
const SNIFFABLE = /\.(?:ya?ml|json|jsonc|json5|toml)$/i;
/**
 * What every PATH_PLATFORMS pattern needs in a path: most files of a tree fail this one test instead of
 * all of them (they were ~3% of a bench scan's main thread, asked once or more per file).
 */
const MAYBE_BY_PATH = /\.(?:ya?ml|json)$|jenkinsfile/i;

/**
 * The literals every content pattern above needs (MCP_CONTENT, TEKTON_CONTENT, ARGO_CONTENT): a file
 * whose bytes hold none of them is not CI configuration by content, and need not be decoded to tell.
 */
const CONTENT_MARKERS = ['mcpServers', 'mcp_servers', 'context_servers', 'tekton.dev/', 'argoproj.io/'];
const ANY_CONTENT_MARKER = new RegExp(CONTENT_MARKERS.map(escapeRegExp).join('|'));

/**
 * Whether raw bytes hold a content marker. Not for UTF-16 text, whose bytes interleave NULs: decode that
 * first. The markers are ASCII, so one regex over the bytes read as latin1 finds them: on the bench
 * tree's ~3,600 JSON and YAML files that took ~0.7x the time of five Buffer.includes passes.
 */
export function hasContentMarker(bytes: Uint8Array): boolean {
  return ANY_CONTENT_MARKER.test(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
}

/** True for CI/CD pipeline definitions known by path (not agent configs): scoring's "in CI config". */
export function isCiConfigPath(path: string): boolean {
  const platform = platformByPath(path);
  return platform !== undefined && platform !== 'mcp';
}

/** True for MCP/agent tool configs known by path. */
export function isAgentConfigPath(path: string): boolean {
  return platformByPath(path) === 'mcp';
}

/** Whether a file's name lets it be CI or agent configuration by content (YAML, JSON, TOML). */
export function mayBeCiByContent(path: string): boolean {
  return SNIFFABLE.test(path);
}

/** Whether a file not known by path could still be one by content (worth decoding for ciPlatformOf). */
export function couldBeCiConfig(path: string): boolean {
  return platformByPath(path) !== undefined || SNIFFABLE.test(path);
}

/**
 * The platform whose syntax `path` is written in, or undefined when it is not a CI or agent config. With
 * `text`, files known only by content are recognised too (Tekton and Argo manifests, MCP tables).
 */
export function ciPlatformOf(path: string, text?: string): CiPlatform | undefined {
  const byPath = platformByPath(path);
  if (byPath !== undefined || text === undefined || !SNIFFABLE.test(path)) return byPath;
  // Only the head of a large file is sniffed: the markers sit at the top of the files that have them.
  const head = text.length > 256 * 1024 ? text.slice(0, 256 * 1024) : text;
  if (MCP_CONTENT.test(head)) return 'mcp';
  if (/\.ya?ml$/i.test(path)) {
    if (TEKTON_CONTENT.test(head)) return 'tekton';
    if (ARGO_CONTENT.test(head)) return 'argo';
  }
  return undefined;
}

function platformByPath(path: string): CiPlatform | undefined {
  if (!MAYBE_BY_PATH.test(path)) return undefined;
  for (const [pattern, platform] of PATH_PLATFORMS) if (pattern.test(path)) return platform;
  return undefined;
}

/** How a platform's files are written. */
export function syntaxOf(path: string, platform: CiPlatform): 'yaml' | 'json' | 'groovy' | 'toml' {
  if (platform === 'jenkins' && !/\.ya?ml$/i.test(path)) return 'groovy';
  if (/\.(?:json|jsonc|json5)$/i.test(path)) return 'json';
  if (/\.toml$/i.test(path)) return 'toml';
  return 'yaml';
}

/**
 * Whether `path` (relative, `/` separators) matches `pattern`, a path or glob as CI files write them
 * (`ci/*.yml`, `dist/**`, `./build/`): GitLab local includes, artifact and cache paths. `*` stays within a
 * folder, `**` crosses folders, a leading `./` or `/` is the root.
 */
export function globMatches(pattern: string, path: string): boolean {
  const normalized = pattern.replace(/^\.?\//, '').replace(/\/$/, '');
  if (!/[*?]/.test(normalized)) return normalized === path;
  let source = '';
  for (let i = 0; i < normalized.length; i++) {
    const char = normalized[i]!;
    if (char === '*' && normalized[i + 1] === '*') {
      i++;
      if (normalized[i + 1] === '/') {
        source += '(?:.*/)?';
        i++;
      } else source += '.*';
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(path);
}
