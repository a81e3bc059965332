/**
 * src/ci/files.ts: which files are CI or agent configuration, for which platform. isCiConfigPath feeds
 * scoring (pipeline files only), ciPlatformOf feeds the CI checks (pipelines and agent configs, some known
 * only by content).
 */
import { describe, expect, it } from 'vitest';
import { ciPlatformOf, couldBeCiConfig, globMatches, hasContentMarker, isAgentConfigPath, isCiConfigPath, syntaxOf, type CiPlatform } from '../../src/ci/files.js';

const BY_PATH: [string, CiPlatform][] = [
  ['.github/workflows/ci.yml', 'github'],
  ['.github/workflows/release.yaml', 'github'],
  ['action.yml', 'github'],
  ['actions/setup/action.yaml', 'github'],
  ['.github/dependabot.yml', 'dependabot'],
  ['.gitea/workflows/build.yml', 'gitea'],
  ['.forgejo/workflows/build.yaml', 'gitea'],
  ['.gitlab-ci.yml', 'gitlab'],
  ['templates/build.gitlab-ci.yml', 'gitlab'],
  ['.gitlab/ci/deploy.yml', 'gitlab'],
  ['.circleci/config.yml', 'circleci'],
  ['.circleci/continue_config.yml', 'circleci'],
  ['Jenkinsfile', 'jenkins'],
  ['ci/release.Jenkinsfile', 'jenkins'],
  ['Jenkinsfile.deploy', 'jenkins'],
  ['jenkins.yaml', 'jenkins'],
  ['azure-pipelines.yml', 'azure'],
  ['azure-pipelines-release.yaml', 'azure'],
  ['.azure-pipelines/templates/build.yml', 'azure'],
  ['bitbucket-pipelines.yml', 'bitbucket'],
  ['.travis.yml', 'travis'],
  ['.buildkite/pipeline.yml', 'buildkite'],
  ['.buildkite/steps/deploy.yaml', 'buildkite'],
  ['.drone.yml', 'drone'],
  ['.woodpecker.yml', 'woodpecker'],
  ['.woodpecker/test.yaml', 'woodpecker'],
  ['cloudbuild.yaml', 'cloudbuild'],
  ['deploy/cloudbuild-prod.json', 'cloudbuild'],
  ['buildspec.yml', 'codebuild'],
  ['buildspec-release.yaml', 'codebuild'],
  ['.tekton/pipeline.yaml', 'tekton'],
  ['.cirrus.yml', 'cirrus'],
  ['.harness/pipelines/build.yaml', 'harness'],
  ['mcp.json', 'mcp'],
  ['.mcp.json', 'mcp'],
  ['.cursor/mcp.json', 'mcp'],
  ['.vscode/mcp.json', 'mcp'],
  ['.amazonq/mcp.json', 'mcp'],
  ['claude_desktop_config.json', 'mcp'],
  ['.codeium/windsurf/mcp_config.json', 'mcp'],
  ['cline_mcp_settings.json', 'mcp'],
];

const NOT_CI = ['README.md', 'Jenkinsfile.md', 'src/workflows/ci.yml', '.github/ISSUE_TEMPLATE/bug.yml', 'docs/azure.yml', 'package.json', 'config.yml'];

describe('ciPlatformOf by path', () => {
  it.each(BY_PATH)('%s is %s', (path, platform) => {
    expect(ciPlatformOf(path)).toBe(platform);
    expect(couldBeCiConfig(path)).toBe(true);
  });

  it.each(NOT_CI)('%s is not CI configuration', (path) => {
    expect(ciPlatformOf(path)).toBeUndefined();
  });
});

describe('ciPlatformOf by content', () => {
  it.each([
    ['k8s/build-task.yaml', 'apiVersion: tekton.dev/v1\nkind: Task\n', 'tekton'],
    ['workflows/release.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n', 'argo'],
    ['.zed/settings.json', '{ "context_servers": {} }', 'mcp'],
    ['.gemini/settings.json', '{ "mcpServers": {} }', 'mcp'],
    ['.continue/mcpServers/db.yaml', 'name: db\nmcpServers:\n  - name: db\n', 'mcp'],
    ['.codex/config.toml', '[mcp_servers.docs]\ncommand = "npx"\n', 'mcp'],
  ] as [string, string, CiPlatform][])('%s is %s', (path, text, platform) => {
    expect(ciPlatformOf(path)).toBeUndefined();
    expect(couldBeCiConfig(path)).toBe(true);
    expect(ciPlatformOf(path, text)).toBe(platform);
  });

  it.each([
    ['k8s/deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\n'],
    ['argo/app.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Application\n'],
    ['package.json', '{ "name": "servers" }'],
    ['src/app.ts', 'const mcpServers = {};'],
  ])('%s is not', (path, text) => {
    expect(ciPlatformOf(path, text)).toBeUndefined();
  });
});

describe('isCiConfigPath (scoring)', () => {
  it.each(BY_PATH.filter(([, platform]) => platform !== 'mcp'))('%s is a pipeline file', (path) => {
    expect(isCiConfigPath(path)).toBe(true);
    expect(isAgentConfigPath(path)).toBe(false);
  });

  it.each(BY_PATH.filter(([, platform]) => platform === 'mcp'))('%s is an agent config, not a pipeline', (path) => {
    expect(isCiConfigPath(path)).toBe(false);
    expect(isAgentConfigPath(path)).toBe(true);
  });
});

describe('syntaxOf', () => {
  it.each([
    ['Jenkinsfile', 'jenkins', 'groovy'],
    ['jenkins.yaml', 'jenkins', 'yaml'],
    ['.mcp.json', 'mcp', 'json'],
    ['.codex/config.toml', 'mcp', 'toml'],
    ['cloudbuild.json', 'cloudbuild', 'json'],
    ['.gitlab-ci.yml', 'gitlab', 'yaml'],
  ] as [string, CiPlatform, string][])('%s (%s) is %s', (path, platform, syntax) => {
    expect(syntaxOf(path, platform)).toBe(syntax);
  });
});

describe('globMatches', () => {
  it.each([
    ['ci/templates.yml', 'ci/templates.yml', true],
    ['/ci/templates.yml', 'ci/templates.yml', true],
    ['ci/*.yml', 'ci/build.yml', true],
    ['ci/*.yml', 'ci/jobs/build.yml', false],
    ['ci/**/*.yml', 'ci/jobs/build.yml', true],
    ['ci/**/*.yml', 'ci/build.yml', true],
    ['dist/', 'dist', true],
    ['**/*.txt', 'a/b/c.txt', true],
    ['gha-creds-*.json', 'gha-creds-0a1b.json', true],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(globMatches(pattern, path)).toBe(expected);
  });
});

describe('hasContentMarker', () => {
  // The bytes test is a prefilter for ciPlatformOf's content patterns: it may not miss a file they know.
  it.each([
    ['{"mcpServers": {}}', true],
    ['[mcp_servers.github]', true],
    ['{"context_servers": {}}', true],
    ['apiVersion: tekton.dev/v1', true],
    ['apiVersion: argoproj.io/v1alpha1', true],
    // The dots are literal: any other character there is not the marker.
    ['apiVersion: tektonXdev/v1', false],
    ['apiVersion: argoprojXio/v1', false],
    ['{"mcpservers": {}}', false],
    ['name: build\non: push\n', false],
  ])('%j: %s', (text, expected) => {
    expect(hasContentMarker(Buffer.from(text))).toBe(expected);
    // A marker past a non-ASCII prefix is found all the same: bytes are read one for one.
    expect(hasContentMarker(Buffer.from(`# café ✓\n${text}`))).toBe(expected);
  });

  it('agrees with ciPlatformOf on files known only by content', () => {
    for (const [path, text] of [
      ['mcp.json', '{"mcpServers": {"x": {"command": "npx"}}}'],
      ['pipeline.yaml', 'apiVersion: tekton.dev/v1\nkind: Pipeline\n'],
      ['workflow.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n'],
    ] as const) {
      expect(ciPlatformOf(path, text)).toBeDefined();
      expect(hasContentMarker(Buffer.from(text))).toBe(true);
    }
  });
});
