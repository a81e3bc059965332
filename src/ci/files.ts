/**
 * Which paths are CI/CD configuration. Scoring raises findings in these files (pipelines hold the most
 * powerful non-human credentials), and the CI checks read them. Paths are as reported: relative, `/`.
 */

const CI_PATH_PATTERNS: RegExp[] = [
  /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i, // GitHub Actions
  /(^|\/)action\.ya?ml$/i, // composite actions
  /(^|\/)\.github\/dependabot\.ya?ml$/i,
  /(^|\/)\.(gitea|forgejo)\/workflows\/[^/]+\.ya?ml$/i,
  /(^|\/)\.gitlab-ci\.ya?ml$/i,
  /(^|\/)\.gitlab\/ci\/.+\.ya?ml$/i,
  /(^|\/)\.circleci\/config\.ya?ml$/i,
  /(^|\/)(?:[^/]+\.)?jenkinsfile$/i,
  /(^|\/)jenkins\.ya?ml$/i,
  /(^|\/)azure-pipelines[^/]*\.ya?ml$/i,
  /(^|\/)\.azure-pipelines\/.+\.ya?ml$/i,
  /(^|\/)bitbucket-pipelines\.ya?ml$/i,
  /(^|\/)\.travis\.ya?ml$/i,
  /(^|\/)\.buildkite\/[^/]+\.ya?ml$/i,
  /(^|\/)\.drone\.ya?ml$/i,
  /(^|\/)\.woodpecker(\.ya?ml|\/[^/]+\.ya?ml)$/i,
  /(^|\/)cloudbuild[^/]*\.ya?ml$/i,
  /(^|\/)buildspec[^/]*\.ya?ml$/i,
  /(^|\/)\.tekton\/.+\.ya?ml$/i,
];

export function isCiConfigPath(path: string): boolean {
  return CI_PATH_PATTERNS.some((pattern) => pattern.test(path));
}
