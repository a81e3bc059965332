/**
 * The committed fixture repositories (fixtures/ci/<platform>/{bad,good}): each bad file fires exactly the
 * listed checks at the listed line and column (and the span holds the listed text), and its corrected
 * version is silent. The fixtures hold no secret-shaped literal (`hunter2hunter2` and friends are below
 * every detector's entropy floor), which the last block checks with the built-in detectors.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { CI_CHECKS, ciPlatformOf, runCiChecks, type CiPlatform } from '../../src/ci/index.js';
import { builtinRulesDir, compileRules, loadRuleSource } from '../../src/rules/load.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/ci', import.meta.url));

type Expected = [ruleId: string, line: number, column: number, text: string];

interface FixtureCase {
  platform: string;
  /** Path inside the fixture repository, as a scan reports it. */
  file: string;
  /** The platform the caller passes for files that only an include makes CI configuration. */
  as?: CiPlatform;
  expected: Expected[];
}

const CASES: FixtureCase[] = [
  {
    platform: 'argo',
    file: 'workflows/release.yaml',
    expected: [
      ['ci-hardcoded-secret', 11, 16, 'hunter2hunter2'],
      ['ci-secret-in-logs', 17, 38, '$GITHUB_TOKEN'],
    ],
  },
  {
    platform: 'azure',
    file: 'azure-pipelines.yml',
    expected: [
      ['ci-secret-in-logs', 4, 3, 'system.debug'],
      ['ci-hardcoded-secret', 5, 25, 'hunter2hunter2'],
      ['ci-static-cloud-keys', 6, 3, 'ARM_CLIENT_SECRET'],
      ['ci-secret-in-logs', 15, 26, '$(npmToken)'],
      ['ci-secret-to-artifact', 19, 31, 'deploy.key'],
      ['ci-credential-in-url', 20, 23, 'hunter3hunter3'],
      ['ci-registry-literal-password', 34, 49, 'hunter4hunter4'],
    ],
  },
  {
    platform: 'bitbucket',
    file: 'bitbucket-pipelines.yml',
    expected: [
      ['ci-registry-literal-password', 5, 13, 'hunter2hunter2'],
      ['ci-hardcoded-secret', 17, 32, 'hunter3hunter3'],
      ['ci-secret-in-logs', 19, 13, 'set -x'],
      ['ci-secret-to-artifact', 21, 19, 'build.env'],
      ['ci-static-cloud-keys', 32, 17, 'AWS_ACCESS_KEY_ID'],
      ['ci-static-cloud-keys', 33, 17, 'AWS_SECRET_ACCESS_KEY'],
      ['ci-unpinned-action-with-secrets', 36, 21, 'docker://some-org/slack-notify:latest'],
      ['ci-credential-in-url', 39, 65, 'hunter4hunter4'],
    ],
  },
  {
    platform: 'buildkite',
    file: '.buildkite/pipeline.yml',
    expected: [
      ['ci-hardcoded-secret', 3, 20, 'hunter2hunter2'],
      ['ci-secret-in-logs', 8, 9, 'printenv'],
      ['ci-unpinned-action-with-secrets', 10, 9, 'some-org/deploy#v1.2.0'],
      ['ci-static-cloud-keys', 15, 7, 'AWS_ACCESS_KEY_ID'],
      ['ci-static-cloud-keys', 16, 7, 'AWS_SECRET_ACCESS_KEY'],
    ],
  },
  {
    platform: 'circleci',
    file: '.circleci/config.yml',
    expected: [
      ['ci-unpinned-action-with-secrets', 4, 12, 'circleci/aws-cli@volatile'],
      ['ci-registry-literal-password', 11, 21, 'hunter2hunter2'],
      ['ci-hardcoded-secret', 16, 20, 'hunter3hunter3'],
      ['ci-secret-in-logs', 22, 13, 'set -x'],
      ['ci-secret-in-logs', 24, 14, 'printenv'],
      ['ci-secret-to-artifact', 25, 34, 'npm-token.txt'],
      ['ci-static-cloud-keys', 33, 11, 'aws_access_key_id'],
      ['ci-static-cloud-keys', 34, 11, 'aws_secret_access_key'],
      ['ci-credential-in-url', 35, 38, 'hunter4hunter4'],
    ],
  },
  {
    platform: 'cloudbuild',
    file: 'cloudbuild.yaml',
    expected: [
      ['ci-hardcoded-secret', 3, 17, 'hunter2hunter2'],
      ['ci-registry-literal-password', 7, 48, 'hunter3hunter3'],
      ['ci-static-publish-token', 10, 59, '$$PYPI_TOKEN'],
    ],
  },
  {
    platform: 'codebuild',
    file: 'buildspec.yml',
    expected: [
      ['ci-hardcoded-secret', 5, 18, 'hunter2hunter2'],
      ['ci-static-cloud-keys', 7, 5, 'AWS_SECRET_ACCESS_KEY'],
      ['ci-secret-in-logs', 11, 30, '$SONAR_TOKEN'],
      ['ci-secret-to-artifact', 12, 20, 'build-env.txt'],
    ],
  },
  {
    platform: 'drone',
    file: '.drone.yml',
    expected: [
      ['ci-hardcoded-secret', 9, 18, 'hunter2hunter2'],
      ['ci-registry-literal-password', 17, 17, 'hunter3hunter3'],
      ['ci-unpinned-action-with-secrets', 19, 12, 'some-org/drone-notify:latest'],
    ],
  },
  {
    platform: 'gitea',
    file: '.gitea/workflows/ci.yml',
    expected: [
      ['ci-secret-interpolated-in-script', 9, 35, '${{ secrets.PUBLISH_TOKEN }}'],
      ['ci-unpinned-action-with-secrets', 10, 15, 'https://gitea.com/some-org/notify@v1'],
    ],
  },
  {
    platform: 'github',
    file: '.github/dependabot.yml',
    expected: [
      ['ci-registry-literal-password', 8, 15, 'hunter5hunter5'],
    ],
  },
  {
    platform: 'github',
    file: '.github/workflows/fork-ci.yml',
    expected: [
      ['ci-self-hosted-on-fork-prs', 8, 15, 'self-hosted'],
      ['ci-unpinned-action-with-secrets', 14, 11, 'some-org/workflows/.github/workflows/release.yml@main'],
      ['ci-all-secrets-exposed', 15, 14, 'inherit'],
    ],
  },
  {
    platform: 'github',
    file: '.github/workflows/pr-target.yml',
    expected: [
      ['ci-excessive-permissions', 4, 3, 'pull_request_target'],
      ['ci-untrusted-checkout', 12, 16, '${{ github.event.pull_request.head.sha }}'],
    ],
  },
  {
    platform: 'github',
    file: '.github/workflows/release.yml',
    expected: [
      ['ci-excessive-permissions', 6, 14, 'write-all'],
      ['ci-hardcoded-secret', 8, 22, 'hunter2hunter2'],
      ['ci-unpinned-action-with-secrets', 14, 15, 'aws-actions/configure-aws-credentials@v4'],
      ['ci-static-cloud-keys', 16, 11, 'aws-access-key-id'],
      ['ci-static-cloud-keys', 17, 11, 'aws-secret-access-key'],
      ['ci-static-publish-token', 25, 11, 'NODE_AUTH_TOKEN'],
      ['ci-unpinned-action-with-secrets', 26, 15, 'some-org/slack-notify@v2'],
      ['ci-secret-in-logs', 31, 32, '${{ secrets.DEPLOY_TOKEN }}'],
      ['ci-secret-interpolated-in-script', 31, 32, '${{ secrets.DEPLOY_TOKEN }}'],
      ['ci-registry-literal-password', 32, 37, 'hunter3hunter3'],
      ['ci-credential-in-url', 33, 26, 'hunter4hunter4'],
      ['ci-secret-to-artifact', 34, 32, 'deploy-credentials.txt'],
      ['ci-secret-interpolated-in-script', 41, 27, '${{ toJSON(secrets) }}'],
      ['ci-all-secrets-exposed', 41, 31, 'toJSON(secrets)'],
    ],
  },
  {
    platform: 'gitlab',
    file: '.gitlab-ci.yml',
    expected: [
      ['ci-unpinned-action-with-secrets', 4, 10, 'main'],
      ['ci-secret-in-logs', 10, 3, 'CI_DEBUG_TRACE'],
      ['ci-hardcoded-secret', 11, 16, 'hunter2hunter2'],
      ['ci-static-cloud-keys', 12, 3, 'AWS_ACCESS_KEY_ID'],
      ['ci-static-cloud-keys', 13, 3, 'AWS_SECRET_ACCESS_KEY'],
      ['ci-secret-to-artifact', 20, 18, 'build-env.txt'],
      ['ci-static-publish-token', 29, 46, '${NPM_TOKEN}'],
      ['ci-secret-in-logs', 35, 7, 'set -x'],
      ['ci-registry-literal-password', 37, 35, 'hunter3hunter3'],
      ['ci-credential-in-url', 38, 46, 'hunter4hunter4'],
    ],
  },
  {
    platform: 'gitlab',
    file: 'ci/jobs/release.yml',
    // Named by a glob include (ci/jobs/*.yml), not by its path.
    as: 'gitlab',
    expected: [['ci-secret-in-logs', 5, 7, 'set -x']],
  },
  {
    platform: 'gitlab',
    file: 'ci/templates.yml',
    // Not CI configuration by its path: .gitlab-ci.yml includes it, so the pipeline checks it as GitLab.
    as: 'gitlab',
    expected: [
      ['ci-secret-in-logs', 4, 28, '$CHAT_TOKEN'],
    ],
  },
  {
    platform: 'jenkins',
    file: 'Jenkinsfile',
    expected: [
      ['ci-hardcoded-secret', 6, 20, 'hunter2hunter2'],
      ['ci-secret-interpolated-in-script', 13, 46, '${API_TOKEN}'],
      ['ci-secret-in-logs', 14, 44, '${API_TOKEN}'],
      ['ci-secret-to-artifact', 15, 33, 'api-token.txt'],
      ['ci-registry-literal-password', 22, 39, 'hunter3hunter3'],
      ['ci-credential-in-url', 23, 35, 'hunter4hunter4'],
      ['ci-secret-interpolated-in-script', 24, 39, '$DEPLOY_PSW'],
    ],
  },
  {
    platform: 'mcp',
    file: '.mcp.json',
    expected: [
      ['mcp-literal-api-key', 6, 49, 'hunter2hunter2'],
      ['mcp-literal-api-key', 10, 56, 'hunter3hunter3'],
      ['mcp-literal-api-key', 15, 45, 'hunter4hunter4'],
    ],
  },
  {
    platform: 'mcp',
    file: '.vscode/mcp.json',
    expected: [
      ['mcp-literal-api-key', 7, 101, 'hunter5hunter5'],
      ['mcp-literal-api-key', 11, 52, 'hunter6hunter6'],
    ],
  },
  {
    platform: 'tekton',
    file: '.tekton/deploy.yaml',
    expected: [
      ['ci-hardcoded-secret', 9, 16, 'hunter2hunter2'],
      ['ci-static-cloud-keys', 14, 17, 'AWS_SECRET_ACCESS_KEY'],
      ['ci-secret-in-logs', 26, 9, 'set -x'],
    ],
  },
  {
    platform: 'travis',
    file: '.travis.yml',
    expected: [
      ['ci-hardcoded-secret', 7, 17, 'hunter2hunter2'],
      ['ci-secret-in-logs', 10, 27, '$NPM_TOKEN'],
      ['ci-hardcoded-secret', 14, 12, 'hunter3hunter3'],
    ],
  },
  {
    platform: 'woodpecker',
    file: '.woodpecker.yml',
    expected: [
      ['ci-secret-in-logs', 9, 31, '$NPM_TOKEN'],
    ],
  },
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function check(platform: string, version: 'bad' | 'good', file: string, as?: CiPlatform) {
  const text = readFileSync(join(FIXTURES, platform, version, file), 'utf8');
  return { text, result: runCiChecks({ path: file, text }, as ? { platform: as } : {}) };
}

describe.each(CASES)('fixtures/ci/$platform: $file', ({ platform, file, as, expected }) => {
  it('bad: each check fires at the offending node', () => {
    const { text, result } = check(platform, 'bad', file, as);
    expect(result.errors).toEqual([]);
    expect(result.candidates.map((c) => [c.ruleId, c.line, c.column, text.slice(c.start, c.end)])).toEqual(expected);
    for (const candidate of result.candidates) {
      const lines = text.split('\n');
      expect(candidate.origin).toEqual({ path: file, source: 'ci' });
      expect(candidate.validated).toEqual([]);
      expect(candidate.lineText).toBe(lines[candidate.line - 1]!.replace(/\r$/, ''));
      expect(candidate.endLine).toBe(candidate.line);
      expect(candidate.endColumn).toBe(candidate.column + candidate.end - candidate.start);
    }
  });

  it('good: the corrected version is silent', () => {
    const { result } = check(platform, 'good', file, as);
    expect(result.errors).toEqual([]);
    expect(result.candidates).toEqual([]);
  });
});

describe('the fixture set', () => {
  it('has a bad example of every check', () => {
    const fired = new Set(CASES.flatMap((c) => c.expected.map(([ruleId]) => ruleId)));
    expect([...fired].sort()).toEqual(CI_CHECKS.map((check) => check.id).sort());
  });

  it('lists every fixture file, and each bad file has a corrected twin', () => {
    const listed = new Set(CASES.map((c) => `${c.platform}/${c.file}`));
    for (const platform of readdirSync(FIXTURES).filter((name) => statSync(join(FIXTURES, name)).isDirectory())) {
      for (const version of ['bad', 'good']) {
        const files = filesUnder(join(FIXTURES, platform, version)).map((path) => `${platform}/${relative(join(FIXTURES, platform, version), path)}`);
        for (const file of files) expect(listed, `${version}: ${file}`).toContain(file);
      }
    }
  });

  it.each(['github', 'gitlab', 'circleci', 'jenkins', 'azure', 'bitbucket', 'mcp'])('covers %s', (platform) => {
    expect(CASES.some((c) => c.platform === platform)).toBe(true);
  });

  it('reports the local files a GitLab pipeline includes', () => {
    const { result } = check('gitlab', 'bad', '.gitlab-ci.yml');
    expect(result.includes).toEqual(['ci/templates.yml', 'ci/jobs/*.yml']);
    expect(ciPlatformOf('ci/templates.yml', 'x: 1')).toBeUndefined();
    expect(ciPlatformOf('ci/jobs/release.yml', 'x: 1')).toBeUndefined();
  });
});

describe('the fixtures hold no secret the detectors report', () => {
  let detector: Detector;
  beforeAll(async () => {
    detector = new Detector(await compileRules(await loadRuleSource(builtinRulesDir(), { builtin: true })));
  });

  it.each(filesUnder(FIXTURES).map((path) => relative(FIXTURES, path)))('%s', (path) => {
    const text = readFileSync(join(FIXTURES, path), 'utf8');
    expect(detector.detect({ origin: { path, source: 'worktree' }, text }).map((c) => c.ruleId)).toEqual([]);
  });
});
