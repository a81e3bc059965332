/**
 * The CI checks as rules: metadata as data (ESLint's habit), so `secretscan rules`, the JSON report and SARIF
 * describe them like any rule. Checks are code, so their RuleSpecs have no pattern and no keywords.
 *
 * Severity comes from the scoring tables (src/score/score.ts) like every rule's: each check's
 * credentialType, privilege and lifetime are chosen within the taxonomy (rules/README.md) so that a finding
 * in a CI file lands on the `severity` written here; test/ci/rules.test.ts holds them to it. For checks about
 * a pipeline's shape (not a value), credentialType names the credential the shape puts at risk: `ci-token`
 * for the pipeline's secrets, `scm-token` for GITHUB_TOKEN, `cloud-iam-key`, `package-publish-token`.
 *
 * Remediation is concrete per platform: ciRemediation(id, platform) gives the YAML to write instead for
 * one platform; the RuleSpec's `remediation` is the general advice, and `help` holds every platform's.
 */
import type { Lifetime, Privilege, RuleSpec, Severity } from '../types.js';
import { PLATFORM_NAMES, type CiPlatform } from './files.js';

export interface CiCheck {
  id: string;
  name: string;
  provider: 'ci' | 'mcp';
  credentialType: string;
  privilege: Privilege;
  lifetime: Lifetime;
  /** The severity a finding of this check gets in a CI file (tested against the scoring tables). */
  severity: Severity;
  /** The check reports a literal secret value (and yields to a detector finding on the same span). */
  literal: boolean;
  platforms: readonly CiPlatform[];
  description: string;
  /** General advice, then per-platform replacements. */
  remediation: string;
  fixes: Partial<Record<CiPlatform, string>>;
  references: string[];
}

/** A RuleSpec with the extra fields reporters may show (SARIF fullDescription, help.markdown). */
export interface CiRuleSpec extends RuleSpec {
  description: string;
  severity: Severity;
  platforms: CiPlatform[];
  /** Markdown: the remediation and each platform's replacement YAML. */
  help: string;
  /**
   * False for the checks that report a configuration problem, not a secret: their findings' `secret` is a
   * description of the problem built from names, never values, and reports show it in clear
   * (report/redact.ts isSecret). Absent, as on every pattern rule: a secret, redacted unless --show-secrets.
   */
  secret?: false;
}

const ALL_YAML: CiPlatform[] = ['github', 'gitea', 'dependabot', 'gitlab', 'circleci', 'jenkins', 'azure', 'bitbucket', 'travis', 'buildkite', 'drone', 'woodpecker', 'cloudbuild', 'codebuild', 'tekton', 'argo', 'cirrus', 'harness'];
const SCRIPTED: CiPlatform[] = ALL_YAML.filter((platform) => platform !== 'dependabot');

const FROM_SECRET = `environment:
  API_TOKEN:
    from_secret: api_token`;

const GITHUB_PIN = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'; // an illustrative commit SHA

export const CI_CHECKS: readonly CiCheck[] = [
  {
    id: 'ci-hardcoded-secret',
    name: 'Literal secret in CI configuration',
    provider: 'ci',
    credentialType: 'generic-secret',
    privilege: 'high',
    lifetime: 'long-lived',
    severity: 'medium',
    literal: true,
    platforms: ALL_YAML,
    description:
      'A setting whose name says it holds a secret (env, variables, with, substitutions, plugin settings, deploy providers, shell assignments) has a literal value instead of a reference to the platform\'s secret store. Provider-specific secrets are reported by the detectors; this catches the rest (passwords, internal tokens). Passwords of service containers (throwaway test databases) and the same values where the job connects to them are not reported.',
    remediation:
      'Treat the value as leaked: revoke it and issue a new one. Store the new one in the platform\'s secret store and reference it by name, so the file holds a name, not a value.',
    fixes: {
      github: `env:
  API_TOKEN: \${{ secrets.API_TOKEN }}   # Settings > Secrets and variables > Actions`,
      gitea: `env:
  API_TOKEN: \${{ secrets.API_TOKEN }}   # repository or organisation Actions secrets`,
      gitlab: `# Delete it from variables: and add API_TOKEN as a masked, protected CI/CD variable
# (Settings > CI/CD > Variables), or read it from Vault at run time:
deploy:
  id_tokens:
    VAULT_ID_TOKEN:
      aud: https://vault.internal
  secrets:
    API_TOKEN:
      vault: ci/deploy/api_token@secret
      file: false`,
      circleci: `# Move it to a context (Organization Settings > Contexts) and drop the environment: entry;
# jobs see it as $API_TOKEN:
workflows:
  main:
    jobs:
      - deploy:
          context: deploy-credentials`,
      jenkins: `environment {
  API_TOKEN = credentials('api-token')   // a Secret text credential
}`,
      azure: `variables:
- group: deploy-secrets          # a variable group linked to Azure Key Vault
steps:
- script: ./deploy.sh
  env:
    API_TOKEN: $(apiToken)       # secret variables reach scripts only when mapped`,
      bitbucket: `# Add API_TOKEN as a secured repository or deployment variable
# (Repository settings > Repository variables) and delete it from the file; scripts read $API_TOKEN.`,
      travis: `env:
  global:
    - secure: "…"   # travis encrypt API_TOKEN=… --add env.global`,
      buildkite: `steps:
  - command: API_TOKEN="$(buildkite-agent secret get api_token)" ./deploy.sh`,
      drone: FROM_SECRET,
      woodpecker: FROM_SECRET,
      cloudbuild: `availableSecrets:
  secretManager:
  - versionName: projects/$PROJECT_ID/secrets/api-token/versions/latest
    env: API_TOKEN
steps:
- name: gcr.io/cloud-builders/gcloud
  entrypoint: bash
  args: ['-c', './deploy.sh']
  secretEnv: ['API_TOKEN']`,
      codebuild: `env:
  secrets-manager:
    API_TOKEN: prod/deploy:api_token`,
      tekton: `env:
- name: API_TOKEN
  valueFrom:
    secretKeyRef:
      name: deploy-credentials
      key: api_token`,
      argo: `env:
- name: API_TOKEN
  valueFrom:
    secretKeyRef:
      name: deploy-credentials
      key: api_token`,
      cirrus: `env:
  API_TOKEN: ENCRYPTED[…]   # encrypt it in the repository settings`,
      harness: `API_TOKEN: <+secrets.getValue("api_token")>`,
      dependabot: `registries:
  private-npm:
    type: npm-registry
    url: https://npm.internal
    token: \${{ secrets.PRIVATE_NPM_TOKEN }}   # a Dependabot secret`,
    },
    references: ['https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions', 'https://docs.gitlab.com/ci/variables/'],
  },
  {
    id: 'ci-static-cloud-keys',
    name: 'Static cloud keys where OIDC federation is available',
    provider: 'ci',
    credentialType: 'cloud-iam-key',
    privilege: 'unknown',
    lifetime: 'unknown',
    severity: 'high',
    literal: false,
    platforms: ['github', 'gitlab', 'circleci', 'bitbucket', 'buildkite', 'azure', 'codebuild', 'cloudbuild', 'tekton', 'argo', 'cirrus', 'harness'],
    description:
      'Long-lived AWS, Google Cloud or Azure keys are given to the pipeline (literally or from its secret store) although the platform can federate: present a short-lived OIDC token and receive credentials scoped to one role, with nothing stored to steal.',
    remediation:
      'Federate with OIDC instead: trust the platform\'s identity provider in the cloud account for this repository (and branch or environment), assume a narrowly scoped role from the pipeline, then delete the stored keys from the cloud account and from the CI secrets.',
    fixes: {
      github: `permissions:
  id-token: write
  contents: read
steps:
  - uses: aws-actions/configure-aws-credentials@${GITHUB_PIN} # v4
    with:
      role-to-assume: arn:aws:iam::123456789012:role/github-deploy
      aws-region: us-east-1
  # Google Cloud: google-github-actions/auth with workload_identity_provider and service_account (no credentials_json)
  # Azure: azure/login with client-id, tenant-id, subscription-id of a federated credential (no creds, no client secret)`,
      gitlab: `deploy:
  id_tokens:
    AWS_ID_TOKEN:
      aud: sts.amazonaws.com
  variables:
    AWS_ROLE_ARN: arn:aws:iam::123456789012:role/gitlab-deploy
    AWS_WEB_IDENTITY_TOKEN_FILE: /tmp/aws-web-identity-token
  script:
    - printf '%s' "$AWS_ID_TOKEN" > "$AWS_WEB_IDENTITY_TOKEN_FILE"
    - aws s3 sync public/ s3://my-bucket
  # Google Cloud: an id_token with your workload identity provider as aud, and gcloud iam workload-identity-pools create-cred-config
  # Azure: az login --service-principal -u "$AZURE_CLIENT_ID" -t "$AZURE_TENANT_ID" --federated-token "$AZURE_ID_TOKEN"`,
      circleci: `orbs:
  aws-cli: circleci/aws-cli@5.1.1
jobs:
  deploy:
    docker:
      - image: cimg/base:current
    steps:
      - aws-cli/setup:
          role_arn: arn:aws:iam::123456789012:role/circleci-deploy   # uses $CIRCLE_OIDC_TOKEN_V2
# ECR images: auth with aws_auth: { oidc_role_arn: arn:aws:iam::123456789012:role/circleci-pull }`,
      bitbucket: `- step:
    oidc: true
    script:
      - pipe: atlassian/aws-s3-deploy:1.6.0
        variables:
          AWS_OIDC_ROLE_ARN: arn:aws:iam::123456789012:role/bitbucket-deploy
          AWS_DEFAULT_REGION: us-east-1
# ECR images: image: { name: …, aws: { oidc-role: arn:aws:iam::123456789012:role/bitbucket-pull } }`,
      buildkite: `steps:
  - command: ./deploy.sh
    plugins:
      - aws-assume-role-with-web-identity#v1.4.0:
          role-arn: arn:aws:iam::123456789012:role/buildkite-deploy`,
      azure: `- task: AzureCLI@2
  inputs:
    azureSubscription: prod-federated   # Azure Resource Manager service connection, workload identity federation
    scriptType: bash
    scriptLocation: inlineScript
    inlineScript: az deployment group create --resource-group app --template-file main.bicep
# AWS: an AWS service connection that uses OIDC (AWS Toolkit for Azure DevOps) instead of access keys`,
      codebuild: `# CodeBuild runs as the project's service role: grant it the permissions and delete the keys.
# For another account, assume a role from the service role:
phases:
  build:
    commands:
      - aws sts assume-role --role-arn arn:aws:iam::210987654321:role/deploy --role-session-name codebuild`,
      cloudbuild: `serviceAccount: projects/$PROJECT_ID/serviceAccounts/deployer@$PROJECT_ID.iam.gserviceaccount.com
options:
  logging: CLOUD_LOGGING_ONLY
# The build acts as that service account: no key file. For AWS, exchange the build's identity token
# (gcloud auth print-identity-token --audiences=…) with aws sts assume-role-with-web-identity.`,
      tekton: `# Give the TaskRun's service account a cloud identity instead of keys:
# EKS: eks.amazonaws.com/role-arn annotation (IRSA); GKE: iam.gke.io/gcp-service-account (Workload Identity)
spec:
  serviceAccountName: deployer`,
      argo: `# Give the workflow's service account a cloud identity instead of keys:
# EKS: eks.amazonaws.com/role-arn annotation (IRSA); GKE: iam.gke.io/gcp-service-account (Workload Identity)
spec:
  serviceAccountName: deployer`,
      cirrus: `# Exchange $CIRRUS_OIDC_TOKEN with aws sts assume-role-with-web-identity or Google workload identity federation.`,
      harness: `# Use an AWS, GCP or Azure connector with OIDC authentication instead of access keys.`,
    },
    references: [
      'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect',
      'https://docs.gitlab.com/ci/cloud_services/',
      'https://circleci.com/docs/openid-connect-tokens/',
      'https://support.atlassian.com/bitbucket-cloud/docs/integrate-pipelines-with-resource-servers-using-oidc/',
    ],
  },
  {
    id: 'ci-untrusted-checkout',
    name: 'Untrusted pull request code checked out in a privileged workflow',
    provider: 'ci',
    credentialType: 'ci-token',
    privilege: 'admin',
    lifetime: 'unknown',
    severity: 'high',
    literal: false,
    platforms: ['github', 'gitea'],
    description:
      'A pull_request_target, workflow_run or issue_comment workflow runs with the base repository\'s secrets and a write token, checks out the pull request\'s head and then runs steps on it: install scripts, builds and tests from a fork get those secrets and that token ("pwn request").',
    remediation:
      'Run untrusted code under `on: pull_request` (no secrets, read-only token). If a privileged follow-up is needed, pass results as an artifact and treat them as data, or check out the base branch only.',
    fixes: {
      github: `on: pull_request            # not pull_request_target: fork PRs get no secrets and a read-only token
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${GITHUB_PIN} # v4
        with:
          persist-credentials: false
      - run: npm ci && npm test
# If the privileged job must stay: no ref: to the PR head, or gate it with
#   if: github.event.pull_request.head.repo.full_name == github.repository`,
      gitea: `on: pull_request   # not pull_request_target; run fork code without secrets`,
    },
    references: ['https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/'],
  },
  {
    id: 'ci-registry-literal-password',
    name: 'Literal registry password in CI configuration',
    provider: 'ci',
    credentialType: 'package-publish-token',
    privilege: 'high',
    lifetime: 'long-lived',
    severity: 'critical',
    literal: true,
    platforms: ALL_YAML,
    description:
      'A container or package registry credential is written in the file: `docker login -p …`, `credentials.password`, `auth.password`, an image `password:`, an npm `_authToken`, a PyPI, RubyGems, crates.io or NuGet token on a command line. Anyone who reads the repository can push as the pipeline.',
    remediation:
      'Revoke it. Pass the password from the secret store on stdin (`--password-stdin`; `-p` shows in process lists and logs), or use the platform\'s own registry token or OIDC login.',
    fixes: {
      github: `- uses: docker/login-action@${GITHUB_PIN} # v3
  with:
    registry: ghcr.io
    username: \${{ github.actor }}
    password: \${{ secrets.GITHUB_TOKEN }}
container:
  image: ghcr.io/org/build:1.2
  credentials:
    username: \${{ github.actor }}
    password: \${{ secrets.GITHUB_TOKEN }}`,
      gitlab: `script:
  - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"`,
      circleci: `docker:
  - image: org/private-build:1.2
    auth:
      username: $DOCKERHUB_USERNAME
      password: $DOCKERHUB_PASSWORD   # a context or project variable`,
      bitbucket: `image:
  name: org/private-build:1.2
  username: $DOCKER_HUB_USERNAME
  password: $DOCKER_HUB_PASSWORD   # a secured repository variable`,
      jenkins: `withCredentials([usernamePassword(credentialsId: 'registry', usernameVariable: 'REG_USER', passwordVariable: 'REG_PASS')]) {
  sh 'echo "$REG_PASS" | docker login -u "$REG_USER" --password-stdin registry.internal'
}`,
      azure: `- task: Docker@2
  inputs:
    command: login
    containerRegistry: registry-connection   # a Docker Registry service connection`,
      dependabot: `registries:
  dockerhub:
    type: docker-registry
    url: registry.hub.docker.com
    username: octocat
    password: \${{ secrets.DOCKERHUB_PASSWORD }}   # a Dependabot secret`,
      drone: `settings:
  username:
    from_secret: docker_username
  password:
    from_secret: docker_password`,
      woodpecker: `settings:
  username:
    from_secret: docker_username
  password:
    from_secret: docker_password`,
    },
    references: ['https://docs.docker.com/reference/cli/docker/login/#password-stdin'],
  },
  {
    id: 'ci-credential-in-url',
    name: 'Credential in a URL or HTTP header in CI configuration',
    provider: 'ci',
    credentialType: 'session-token',
    privilege: 'high',
    lifetime: 'long-lived',
    severity: 'high',
    literal: true,
    platforms: [...ALL_YAML, 'mcp'],
    description:
      'A literal credential in `curl -u user:password`, an `Authorization:` (or PRIVATE-TOKEN, X-API-Key, …) header, `https://user:token@host` or a `?access_token=` query parameter. URLs and command lines end up in logs, shell history, process lists and `.git/config`.',
    remediation:
      'Revoke it. Read the credential from the secret store through the environment and send it in a header (`-H "Authorization: Bearer $TOKEN"`), or use a credential helper; for Git, the platform\'s job token.',
    fixes: {
      github: `- run: curl --fail -H "Authorization: Bearer $API_TOKEN" https://api.internal/v1/deploy
  env:
    API_TOKEN: \${{ secrets.API_TOKEN }}`,
      gitlab: `script:
  - curl --fail -H "Authorization: Bearer $API_TOKEN" https://api.internal/v1/deploy   # API_TOKEN: a masked CI/CD variable
  - git clone "https://gitlab-ci-token:\${CI_JOB_TOKEN}@gitlab.com/group/project.git"`,
      jenkins: `withCredentials([string(credentialsId: 'api-token', variable: 'API_TOKEN')]) {
  sh 'curl --fail -H "Authorization: Bearer $API_TOKEN" https://api.internal/v1/deploy'
}`,
    },
    references: ['https://cwe.mitre.org/data/definitions/598.html'],
  },
  {
    id: 'ci-secret-in-logs',
    name: 'Secret printed to the CI log',
    provider: 'ci',
    credentialType: 'ci-token',
    privilege: 'low',
    lifetime: 'unknown',
    severity: 'medium',
    literal: false,
    platforms: SCRIPTED,
    description:
      'A secret is echoed, the environment is dumped (printenv, env, export -p), a script traces commands (set -x) while it uses a secret, or debug tracing (CI_DEBUG_TRACE, system.debug) is switched on in the committed configuration. Masking hides exact matches only: encoded, split or traced secrets appear in clear in logs that outlive the job.',
    remediation:
      'Never print secrets; turn tracing off (`set +x`) around commands that use them; enable debug logging for one manual run instead of committing it.',
    fixes: {
      github: `- run: ./deploy.sh            # no echo, no printenv, no set -x around $DEPLOY_TOKEN
  env:
    DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}
# Debug logging: "Re-run jobs > Enable debug logging" for one run, not ACTIONS_STEP_DEBUG in the file.`,
      gitlab: `variables:
  # no CI_DEBUG_TRACE / CI_DEBUG_SERVICES here: set them on one manual pipeline run if needed
deploy:
  script:
    - set +x
    - ./deploy.sh   # reads $DEPLOY_TOKEN (a masked variable) itself`,
      azure: `variables:
  # no system.debug: true here: tick "Enable system diagnostics" when queueing one run
steps:
- script: ./deploy.sh
  env:
    DEPLOY_TOKEN: $(deployToken)`,
      jenkins: `withCredentials([string(credentialsId: 'deploy-token', variable: 'DEPLOY_TOKEN')]) {
  sh './deploy.sh'   // no echo of $DEPLOY_TOKEN, no set -x around it
}`,
      circleci: `- run:
    name: Deploy
    command: |
      set +x
      ./deploy.sh   # reads $DEPLOY_TOKEN from a context`,
    },
    references: ['https://docs.gitlab.com/ci/variables/variables_troubleshooting/#enable-debug-logging', 'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions'],
  },
  {
    id: 'ci-secret-to-artifact',
    name: 'Secret written into the workspace and uploaded or cached',
    provider: 'ci',
    credentialType: 'ci-token',
    privilege: 'medium',
    lifetime: 'unknown',
    severity: 'high',
    literal: false,
    platforms: SCRIPTED,
    description:
      'A step writes a secret into a workspace file (.npmrc, a credentials file, a dumped environment, google-github-actions/auth\'s gha-creds-*.json) and a later upload or cache includes it. Artifacts can be downloaded by anyone who can read the pipeline (for public projects: anyone); caches are restored into other branches\' jobs.',
    remediation:
      'Write credential files outside the workspace (the runner\'s temp folder or home directory) or delete them before the upload, and upload only the paths you need, excluding credential files.',
    fixes: {
      github: `- run: echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > "$RUNNER_TEMP/.npmrc"
- uses: actions/upload-artifact@${GITHUB_PIN} # v4
  with:
    name: dist
    path: |
      dist/
      !gha-creds-*.json`,
      gitlab: `build:
  script:
    - echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > ~/.npmrc   # outside $CI_PROJECT_DIR
  artifacts:
    paths: [dist/]        # not ".", not untracked: true, no secrets in reports:dotenv`,
      circleci: `- run: echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > ~/.npmrc
- store_artifacts:
    path: dist`,
      bitbucket: `artifacts:
  - dist/**`,
      azure: `- task: PublishPipelineArtifact@1
  inputs:
    targetPath: $(Build.SourcesDirectory)/dist
    artifact: dist`,
      jenkins: `archiveArtifacts artifacts: 'dist/**', excludes: '**/.npmrc, **/*.env'`,
    },
    references: ['https://unit42.paloaltonetworks.com/github-repo-artifacts-leak-tokens/'],
  },
  {
    id: 'ci-unpinned-action-with-secrets',
    name: 'Third-party action not pinned to a commit receives secrets',
    provider: 'ci',
    credentialType: 'ci-token',
    privilege: 'low',
    lifetime: 'unknown',
    severity: 'medium',
    literal: false,
    platforms: ['github', 'gitea', 'gitlab', 'circleci', 'bitbucket', 'buildkite', 'drone', 'woodpecker'],
    description:
      'Code from another repository (an action, reusable workflow, include, orb, pipe or plugin) is referenced by a tag, a branch or nothing, and runs with the pipeline\'s secrets. Whoever can move that tag (its maintainers, or an attacker with their token, as in tj-actions/changed-files) runs code with your secrets on the next build.',
    remediation:
      'Pin third-party code to a full commit SHA or image digest (keep the version in a comment and let Dependabot or Renovate update it), and pass it only the secrets it needs.',
    fixes: {
      github: `- uses: some-org/deploy-action@${GITHUB_PIN} # v2.3.1
  with:
    token: \${{ secrets.DEPLOY_TOKEN }}`,
      gitea: `- uses: some-org/deploy-action@${GITHUB_PIN} # v2.3.1`,
      gitlab: `include:
  - project: platform/ci-templates
    ref: ${GITHUB_PIN}   # a commit SHA, not a branch
    file: /deploy.yml
  - component: gitlab.com/org/deploy/deploy@1.4.2     # an exact release, not ~latest
  - remote: https://templates.internal/ci/deploy.yml
    integrity: sha256-…                                # GitLab 17.9+`,
      circleci: `orbs:
  deploy: some-org/deploy@2.3.1   # an exact version, never @volatile`,
      bitbucket: `- pipe: docker://some-org/deploy-pipe@sha256:…   # a digest, not a moving tag`,
      buildkite: `plugins:
  - some-org/deploy#${GITHUB_PIN}:   # a commit, not a tag or branch`,
      drone: `image: some-org/drone-deploy@sha256:…   # a digest`,
      woodpecker: `image: some-org/woodpecker-deploy@sha256:…   # a digest`,
    },
    references: ['https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions'],
  },
  {
    id: 'ci-all-secrets-exposed',
    name: 'Every secret handed to one step or workflow',
    provider: 'ci',
    credentialType: 'ci-token',
    privilege: 'low',
    lifetime: 'unknown',
    severity: 'medium',
    literal: false,
    platforms: ['github', 'gitea'],
    description:
      '`toJSON(secrets)`, `secrets[<expression>]` or `secrets: inherit` to another repository\'s workflow gives a step or a called workflow every secret of the repository and organisation, not the few it needs. (`secrets: inherit` to a workflow of the same repository is not reported: it is the same code under the same review.)',
    remediation: 'Pass each secret by name, only to the step or workflow that needs it.',
    fixes: {
      github: `jobs:
  release:
    uses: org/workflows/.github/workflows/release.yml@${GITHUB_PIN}
    secrets:
      NPM_TOKEN: \${{ secrets.NPM_TOKEN }}          # not secrets: inherit
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: ./deploy.sh
        env:
          DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}   # not \${{ toJSON(secrets) }}`,
      gitea: `env:
  DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}   # by name, not toJSON(secrets)`,
    },
    references: ['https://docs.github.com/en/actions/sharing-automations/reusing-workflows#passing-secrets-to-nested-workflows'],
  },
  {
    id: 'ci-excessive-permissions',
    name: 'Workflow token with write-all or default permissions on a risky trigger',
    provider: 'ci',
    credentialType: 'scm-token',
    privilege: 'high',
    lifetime: 'short-lived',
    severity: 'medium',
    literal: false,
    platforms: ['github'],
    description:
      '`permissions: write-all`, or no `permissions:` at all in a workflow that outsiders can trigger (pull_request_target, workflow_run, issue_comment, issues, discussions, reviews): in repositories created before 2023 the default token can write to contents, packages, pull requests and more.',
    remediation: 'Declare read-only permissions for the workflow and grant each job only the writes it needs; set the repository default to read (Settings > Actions > General > Workflow permissions).',
    fixes: {
      github: `permissions:
  contents: read            # the workflow's default
jobs:
  label:
    runs-on: ubuntu-latest
    permissions:
      pull-requests: write  # only what this job needs`,
    },
    references: ['https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token'],
  },
  {
    id: 'ci-static-publish-token',
    name: 'Static package publishing token where trusted publishing is available',
    provider: 'ci',
    credentialType: 'package-publish-token',
    privilege: 'unknown',
    lifetime: 'unknown',
    severity: 'high',
    literal: false,
    platforms: ['github', 'gitlab', 'cloudbuild'],
    description:
      'A stored npm, PyPI, RubyGems, crates.io or NuGet token publishes the package, although the registry trusts this platform\'s OIDC identity (trusted publishing). A stolen token publishes any version from anywhere until someone revokes it.',
    remediation:
      'Configure a trusted publisher for this repository and workflow on the registry, publish with the OIDC identity, then revoke the token on the registry and delete it from the CI secrets.',
    fixes: {
      github: `permissions:
  contents: read
  id-token: write
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: release
    steps:
      - uses: actions/checkout@${GITHUB_PIN} # v4
      - uses: actions/setup-node@${GITHUB_PIN} # v4
        with:
          node-version: 22
          registry-url: https://registry.npmjs.org
      - run: npm publish --provenance   # npm 11.5+: OIDC, no NODE_AUTH_TOKEN
      # PyPI: pypa/gh-action-pypi-publish without password:
      # crates.io: rust-lang/crates-io-auth-action, then cargo publish with its token output
      # RubyGems: rubygems/release-gem; NuGet: NuGet/login, then dotnet nuget push with its API key output`,
      gitlab: `publish:
  id_tokens:
    NPM_ID_TOKEN:
      aud: "npm:registry.npmjs.org"
  script:
    - npm publish   # npm 11.5+ exchanges NPM_ID_TOKEN; no NPM_TOKEN variable
# PyPI: an id_token with aud: pypi, exchanged at https://pypi.org/_/oidc/mint-token for a short-lived upload token`,
      cloudbuild: `# PyPI: add a Google Cloud trusted publisher for the build's service account and mint a short-lived
# upload token from its identity token instead of storing a PyPI token in Secret Manager.`,
    },
    references: ['https://docs.npmjs.com/trusted-publishers', 'https://docs.pypi.org/trusted-publishers/', 'https://guides.rubygems.org/trusted-publishing/', 'https://crates.io/docs/trusted-publishing'],
  },
  {
    id: 'ci-secret-interpolated-in-script',
    name: 'Secret interpolated into script text',
    provider: 'ci',
    credentialType: 'ci-token',
    privilege: 'low',
    lifetime: 'unknown',
    severity: 'medium',
    literal: false,
    platforms: ['github', 'gitea', 'jenkins'],
    description:
      'The platform substitutes the secret into the script before the shell runs it (`${{ secrets.X }}` in `run:`, Groovy `"${TOKEN}"` in a Jenkins `sh` step): the secret is written into a script file or a process\'s arguments, shows in the displayed command, and shell metacharacters in it break quoting.',
    remediation: 'Hand the secret to the shell as an environment variable and let the shell expand it.',
    fixes: {
      github: `- run: curl --fail -H "Authorization: Bearer $DEPLOY_TOKEN" https://api.internal/deploy
  env:
    DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}`,
      gitea: `- run: ./deploy.sh "$DEPLOY_TOKEN"
  env:
    DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}`,
      jenkins: `withCredentials([string(credentialsId: 'deploy-token', variable: 'DEPLOY_TOKEN')]) {
  sh 'curl --fail -H "Authorization: Bearer $DEPLOY_TOKEN" https://api.internal/deploy'   // single quotes
}`,
    },
    references: ['https://www.jenkins.io/doc/book/pipeline/jenkinsfile/#string-interpolation', 'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-an-intermediate-environment-variable'],
  },
  {
    id: 'ci-self-hosted-on-fork-prs',
    name: 'Self-hosted runner for fork pull requests',
    provider: 'ci',
    credentialType: 'ci-token',
    privilege: 'admin',
    lifetime: 'unknown',
    severity: 'high',
    literal: false,
    platforms: ['github'],
    description:
      'A job triggered by pull requests, forks included, runs on a self-hosted runner: the contributor\'s code runs on your machine, with its network access and whatever it keeps between jobs (a persistent runner is a foothold for every later job and secret).',
    remediation: 'Run fork pull requests on platform-hosted runners, keep forks off self-hosted ones with a job condition, use ephemeral runners, and require approval for workflows from outside collaborators.',
    fixes: {
      github: `jobs:
  test:
    if: github.event.pull_request.head.repo.full_name == github.repository
    runs-on: [self-hosted, linux]
  test-forks:
    if: github.event.pull_request.head.repo.full_name != github.repository
    runs-on: ubuntu-latest
# and Settings > Actions > General: require approval for all outside collaborators`,
    },
    references: ['https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/about-self-hosted-runners#self-hosted-runner-security'],
  },
  {
    id: 'mcp-literal-api-key',
    name: 'Literal API key in an MCP server configuration',
    provider: 'mcp',
    credentialType: 'api-key',
    privilege: 'high',
    lifetime: 'long-lived',
    severity: 'medium',
    literal: true,
    platforms: ['mcp'],
    description:
      'An MCP server is configured with a literal key in `env`, `headers`, `args` or its URL. The config travels with the repository and every agent that starts the server uses the same long-lived key, with whatever scope it has; a prompt-injected agent can use or exfiltrate it.',
    remediation:
      'Revoke the key. Give each agent its own scoped, short-lived credential from a secret store, and pass it through the environment or the client\'s secure input prompt, never in the file.',
    fixes: {
      mcp: `// VS Code (.vscode/mcp.json): prompted once, kept in the editor's secret storage
{
  "inputs": [{ "type": "promptString", "id": "github-token", "description": "GitHub token", "password": true }],
  "servers": {
    "github": {
      "command": "docker",
      "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"],
      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "\${input:github-token}" }
    }
  }
}
// Claude Code (.mcp.json), Cursor: "env": { "API_KEY": "\${API_KEY}" }, with API_KEY injected at start-up
// by a secret manager (op run, doppler run, vault agent) scoped to that agent`,
    },
    references: ['https://modelcontextprotocol.io/specification/draft/basic/security_best_practices', 'https://code.visualstudio.com/docs/copilot/customization/mcp-servers#_input-variables-for-sensitive-data'],
  },
];

/** Checks that report a literal value; they yield to a detector finding on the same span. */
export const LITERAL_VALUE_CHECKS: ReadonlySet<string> = new Set(CI_CHECKS.filter((check) => check.literal).map((check) => check.id));

const BY_ID = new Map(CI_CHECKS.map((check) => [check.id, check]));

/** The remediation for one platform: the advice and that platform's replacement, when there is one. */
export function ciRemediation(ruleId: string, platform?: CiPlatform): string | undefined {
  const check = BY_ID.get(ruleId);
  if (!check) return undefined;
  const fix = platform && check.fixes[platform];
  return fix ? `${check.remediation}\n\n${PLATFORM_NAMES[platform]}:\n${fix}` : check.remediation;
}

/** The checks as rules, for `secretscan rules`, the JSON report and SARIF. */
export function ciRuleSpecs(): CiRuleSpec[] {
  return CI_CHECKS.map((check) => ({
    id: check.id,
    name: check.name,
    provider: check.provider,
    credentialType: check.credentialType,
    privilege: check.privilege,
    lifetime: check.lifetime,
    keywords: [],
    pattern: '',
    secretGroup: 0,
    validators: [],
    stopwords: [],
    multiline: false,
    remediation: check.remediation,
    references: [...check.references],
    examples: [],
    negativeExamples: [],
    origin: 'src/ci',
    builtin: true,
    // A check about a literal value reports that value; the others report a description of the problem.
    ...(check.literal ? {} : { secret: false }),
    description: check.description,
    severity: check.severity,
    platforms: [...check.platforms],
    help: [
      check.description,
      '',
      check.remediation,
      ...Object.entries(check.fixes).flatMap(([platform, fix]) => ['', `**${PLATFORM_NAMES[platform as CiPlatform]}**`, '', '```', fix!, '```']),
    ].join('\n'),
  }));
}
