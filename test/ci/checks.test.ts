/**
 * Every CI check, one table each (ESLint's RuleTester habit): a bad snippet fires the check at the listed
 * 1-based line and column of the offending node, and the corrected snippet is silent (no candidate of any
 * check). The fixture repositories (fixtures.test.ts) show the checks together; these tables pin the
 * platform variants and the edge cases. Literal values are inert (`hunter2hunter2`): below every
 * detector's entropy floor, so this file scans clean too.
 */
import { describe, expect, it } from 'vitest';
import { CI_CHECKS, runCiChecks } from '../../src/ci/index.js';

/** A snippet without its first line break and common indentation, so line and column read off the page. */
function y(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length));
  return lines.map((line) => line.slice(indent)).join('\n');
}

interface CheckCase {
  name: string;
  path: string;
  bad: string;
  good: string;
  /** Line and column of each hit of the check in `bad`. */
  at: [number, number][];
}

const CASES: Record<string, CheckCase[]> = {
  'ci-hardcoded-secret': [
    {
      name: 'GitHub: a literal action input',
      path: '.github/workflows/release.yml',
      bad: y(`
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-java@v4
                with:
                  gpg-passphrase: hunter2hunter2
      `),
      good: y(`
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-java@v4
                with:
                  gpg-passphrase: \${{ secrets.GPG_PASSPHRASE }}
      `),
      at: [[8, 27]],
    },
    {
      name: 'GitHub: a literal secret handed to a reusable workflow',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        jobs:
          release:
            uses: ./.github/workflows/release.yml
            secrets:
              NPM_TOKEN: hunter2hunter2
      `),
      good: y(`
        on: push
        jobs:
          release:
            uses: ./.github/workflows/release.yml
            secrets:
              NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
      `),
      at: [[6, 18]],
    },
    {
      name: 'GitHub: a literal default of a workflow_dispatch input',
      path: '.github/workflows/manual.yml',
      bad: y(`
        on:
          workflow_dispatch:
            inputs:
              api-token:
                description: token for the smoke test
                default: hunter2hunter2
        jobs: {}
      `),
      good: y(`
        on:
          workflow_dispatch:
            inputs:
              api-token:
                description: token for the smoke test
                required: true
        jobs: {}
      `),
      at: [[6, 18]],
    },
    {
      name: 'GitLab: a variable with value and description',
      path: '.gitlab-ci.yml',
      bad: y(`
        variables:
          SMTP_PASSWORD:
            value: hunter2hunter2
            description: mail relay
        mail:
          script: [./send.sh]
      `),
      good: y(`
        variables:
          SMTP_PASSWORD:
            value: ""
            description: mail relay (set the value in Settings > CI/CD > Variables)
        mail:
          script: [./send.sh]
      `),
      at: [[3, 12]],
    },
    {
      name: 'GitLab: a literal assigned in a script',
      path: '.gitlab-ci.yml',
      bad: y(`
        test:
          script:
            - export API_TOKEN=hunter2hunter2
            - ./smoke.sh
      `),
      good: y(`
        test:
          script:
            - export API_TOKEN="$SMOKE_API_TOKEN"
            - ./smoke.sh
      `),
      at: [[3, 24]],
    },
    {
      name: 'Cloud Build: a NAME=value item of a step env list',
      path: 'cloudbuild.yaml',
      bad: y(`
        steps:
          - name: gcr.io/cloud-builders/curl
            env: ['API_TOKEN=hunter2hunter2']
            args: ['https://api.internal/health']
      `),
      good: y(`
        steps:
          - name: gcr.io/cloud-builders/curl
            secretEnv: ['API_TOKEN']
            args: ['https://api.internal/health']
        availableSecrets:
          secretManager:
            - versionName: projects/$PROJECT_ID/secrets/api-token/versions/latest
              env: API_TOKEN
      `),
      at: [[3, 22]],
    },
    {
      name: 'Jenkins: withEnv with a literal',
      path: 'Jenkinsfile',
      bad: y(`
        node {
          withEnv(['API_TOKEN=hunter2hunter2']) {
            sh './smoke.sh'
          }
        }
      `),
      good: y(`
        node {
          withCredentials([string(credentialsId: 'api-token', variable: 'API_TOKEN')]) {
            sh './smoke.sh'
          }
        }
      `),
      at: [[2, 23]],
    },
    {
      name: 'Jenkins Configuration as Code: a literal credential',
      path: 'jenkins.yaml',
      bad: y(`
        credentials:
          system:
            domainCredentials:
              - credentials:
                  - usernamePassword:
                      id: deploy
                      username: deploy
                      password: hunter2hunter2
      `),
      good: y(`
        credentials:
          system:
            domainCredentials:
              - credentials:
                  - usernamePassword:
                      id: deploy
                      username: deploy
                      password: \${DEPLOY_PASSWORD}
      `),
      at: [[8, 25]],
    },
    {
      name: 'Cirrus CI: a literal instead of ENCRYPTED[…]',
      path: '.cirrus.yml',
      bad: y(`
        task:
          env:
            API_TOKEN: hunter2hunter2
          script: ./smoke.sh
      `),
      good: y(`
        task:
          env:
            API_TOKEN: ENCRYPTED[2f8e8a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b]
          script: ./smoke.sh
      `),
      at: [[3, 16]],
    },
    {
      name: 'Harness: a literal instead of <+secrets.getValue()>',
      path: '.harness/pipeline.yaml',
      bad: y(`
        pipeline:
          variables:
            - name: api_token
              type: String
              value: hunter2hunter2
      `),
      good: y(`
        pipeline:
          variables:
            - name: api_token
              type: Secret
              value: <+secrets.getValue("api_token")>
      `),
      at: [[5, 14]],
    },
  ],

  'ci-static-cloud-keys': [
    {
      name: 'GitHub: a Google service-account key',
      path: '.github/workflows/deploy.yml',
      bad: y(`
        on: push
        permissions:
          contents: read
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - uses: google-github-actions/auth@71fee32a0bb7e97b4d33d548e7d957010649d8fa # v2
                with:
                  credentials_json: \${{ secrets.GCP_SA_KEY }}
      `),
      good: y(`
        on: push
        permissions:
          contents: read
          id-token: write
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - uses: google-github-actions/auth@71fee32a0bb7e97b4d33d548e7d957010649d8fa # v2
                with:
                  workload_identity_provider: projects/123456/locations/global/workloadIdentityPools/github/providers/app
                  service_account: deployer@acme-prod.iam.gserviceaccount.com
      `),
      at: [[10, 11]],
    },
    {
      name: 'GitHub: azure/login with a client secret',
      path: '.github/workflows/deploy.yml',
      bad: y(`
        on: push
        permissions:
          contents: read
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - uses: azure/login@a65d910e8af852a8061c627c456678983e180302 # v2
                with:
                  creds: \${{ secrets.AZURE_CREDENTIALS }}
      `),
      good: y(`
        on: push
        permissions:
          contents: read
          id-token: write
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - uses: azure/login@a65d910e8af852a8061c627c456678983e180302 # v2
                with:
                  client-id: \${{ vars.AZURE_CLIENT_ID }}
                  tenant-id: \${{ vars.AZURE_TENANT_ID }}
                  subscription-id: \${{ vars.AZURE_SUBSCRIPTION_ID }}
      `),
      at: [[10, 11]],
    },
    {
      name: 'GitHub: keys handed on from an OIDC step are not stored keys',
      path: '.github/workflows/deploy.yml',
      bad: y(`
        on: push
        permissions:
          contents: read
        jobs:
          deploy:
            runs-on: ubuntu-latest
            env:
              AWS_SECRET_ACCESS_KEY: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
            steps:
              - run: ./deploy.sh
      `),
      good: y(`
        on: push
        permissions:
          contents: read
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - id: creds
                run: ./assume-role.sh
              - run: ./deploy.sh
                env:
                  AWS_SECRET_ACCESS_KEY: \${{ steps.creds.outputs.aws-secret-access-key }}
      `),
      at: [[8, 7]],
    },
    {
      name: 'CircleCI: aws_auth of an ECR image',
      path: '.circleci/config.yml',
      bad: y(`
        version: 2.1
        jobs:
          build:
            docker:
              - image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/builder:1
                aws_auth:
                  aws_access_key_id: $ECR_KEY_ID
                  aws_secret_access_key: $ECR_SECRET
            steps: [checkout]
      `),
      good: y(`
        version: 2.1
        jobs:
          build:
            docker:
              - image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/builder:1
                aws_auth:
                  oidc_role_arn: arn:aws:iam::123456789012:role/circleci-pull
            steps: [checkout]
      `),
      at: [
        [7, 11],
        [8, 11],
      ],
    },
    {
      name: 'Bitbucket: ECR image keys',
      path: 'bitbucket-pipelines.yml',
      bad: y(`
        image:
          name: 123456789012.dkr.ecr.us-east-1.amazonaws.com/builder:1
          aws:
            access-key: $ECR_KEY_ID
            secret-key: $ECR_SECRET
        pipelines:
          default:
            - step:
                script: [make]
      `),
      good: y(`
        image:
          name: 123456789012.dkr.ecr.us-east-1.amazonaws.com/builder:1
          aws:
            oidc-role: arn:aws:iam::123456789012:role/bitbucket-pull
        pipelines:
          default:
            - step:
                oidc: true
                script: [make]
      `),
      at: [
        [4, 5],
        [5, 5],
      ],
    },
  ],

  'ci-untrusted-checkout': [
    {
      name: 'workflow_run checking out the triggering head and building it',
      path: '.github/workflows/after-ci.yml',
      bad: y(`
        on:
          workflow_run:
            workflows: [ci]
            types: [completed]
        permissions:
          contents: read
        jobs:
          report:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: \${{ github.event.workflow_run.head_sha }}
              - run: npm ci && npm run report
      `),
      good: y(`
        on:
          workflow_run:
            workflows: [ci]
            types: [completed]
        permissions:
          contents: read
        jobs:
          report:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/download-artifact@v4
                with:
                  run-id: \${{ github.event.workflow_run.id }}
              - run: ./report.sh results.json
      `),
      at: [[13, 16]],
    },
    {
      name: 'issue_comment running gh pr checkout',
      path: '.github/workflows/comment.yml',
      bad: y(`
        on: issue_comment
        permissions:
          contents: read
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: gh pr checkout \${{ github.event.issue.number }}
              - run: make test
      `),
      good: y(`
        on: issue_comment
        permissions:
          contents: read
        jobs:
          test:
            if: github.event.pull_request.head.repo.full_name == github.repository
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: gh pr checkout \${{ github.event.issue.number }}
              - run: make test
      `),
      at: [[9, 14]],
    },
    {
      name: 'pull_request_target checking out the head without running anything after it',
      path: '.github/workflows/label.yml',
      bad: y(`
        on: pull_request_target
        permissions:
          contents: read
        jobs:
          label:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: refs/pull/\${{ github.event.number }}/merge
              - run: ./label.sh
      `),
      good: y(`
        on: pull_request_target
        permissions:
          contents: read
        jobs:
          label:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: refs/pull/\${{ github.event.number }}/merge
              - uses: actions/upload-artifact@v4
                with:
                  name: pr
                  path: pr.json
      `),
      at: [[10, 16]],
    },
  ],

  'ci-registry-literal-password': [
    {
      name: 'GitHub: job container credentials',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            container:
              image: ghcr.io/acme/builder:1
              credentials:
                username: ci-bot
                password: hunter2hunter2
            steps:
              - run: make
      `),
      good: y(`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            container:
              image: ghcr.io/acme/builder:1
              credentials:
                username: \${{ github.actor }}
                password: \${{ secrets.GITHUB_TOKEN }}
            steps:
              - run: make
      `),
      at: [[9, 19]],
    },
    {
      name: 'GitLab: a literal echoed into docker login --password-stdin',
      path: '.gitlab-ci.yml',
      bad: y(`
        push:
          script:
            - echo hunter2hunter2 | docker login -u ci-bot --password-stdin registry.internal
      `),
      good: y(`
        push:
          script:
            - echo "$REGISTRY_PASSWORD" | docker login -u ci-bot --password-stdin registry.internal
      `),
      at: [[3, 12]],
    },
    {
      name: 'GitLab: an npm token written by npm config',
      path: '.gitlab-ci.yml',
      bad: y(`
        install:
          script:
            - npm config set //npm.internal/:_authToken hunter2hunter2
            - npm ci
      `),
      good: y(`
        install:
          script:
            - npm config set //npm.internal/:_authToken "$NPM_READ_TOKEN"
            - npm ci
      `),
      at: [[3, 49]],
    },
    {
      name: 'Buildkite: cargo login with a literal',
      path: '.buildkite/pipeline.yml',
      bad: y(`
        steps:
          - command: cargo login hunter2hunter2 && cargo build
      `),
      good: y(`
        steps:
          - command: cargo build
      `),
      at: [[2, 26]],
    },
    {
      name: 'Dependabot: a registry token',
      path: '.github/dependabot.yml',
      bad: y(`
        version: 2
        registries:
          maven:
            type: maven-repository
            url: https://maven.internal
            token: hunter2hunter2
      `),
      good: y(`
        version: 2
        registries:
          maven:
            type: maven-repository
            url: https://maven.internal
            token: \${{ secrets.MAVEN_TOKEN }}
      `),
      at: [[6, 12]],
    },
  ],

  'ci-credential-in-url': [
    {
      name: 'GitHub: a literal Authorization header',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        jobs:
          notify:
            runs-on: ubuntu-latest
            steps:
              - run: "curl -H 'Authorization: token hunter2hunter2' https://api.internal/notify"
      `),
      good: y(`
        on: push
        jobs:
          notify:
            runs-on: ubuntu-latest
            steps:
              - run: 'curl -H "Authorization: token $NOTIFY_TOKEN" https://api.internal/notify'
                env:
                  NOTIFY_TOKEN: \${{ secrets.NOTIFY_TOKEN }}
      `),
      at: [[6, 45]],
    },
    {
      name: 'a URL with a password in a setting',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        env:
          PACKAGES_URL: https://reader:hunter2hunter2@packages.internal/simple
        jobs: {}
      `),
      good: y(`
        on: push
        env:
          PACKAGES_URL: https://packages.internal/simple
        jobs: {}
      `),
      at: [[3, 32]],
    },
    {
      name: 'Azure: a token in a query string',
      path: 'azure-pipelines.yml',
      bad: y(`
        steps:
        - script: curl "https://hooks.internal/build?access_token=hunter2hunter2"
      `),
      good: y(`
        steps:
        - script: 'curl -H "Authorization: Bearer $(hookToken)" https://hooks.internal/build'
      `),
      at: [[2, 59]],
    },
    {
      name: 'wget --password',
      path: '.travis.yml',
      bad: y(`
        script:
          - wget --user=ci --password=hunter2hunter2 https://files.internal/data.tgz
      `),
      good: y(`
        script:
          - wget --user=ci --password="$FILES_PASSWORD" https://files.internal/data.tgz
      `),
      at: [[2, 31]],
    },
  ],

  'ci-secret-in-logs': [
    {
      name: 'GitHub: an env secret echoed',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  echo "deploying with $DEPLOY_TOKEN"
                  ./deploy.sh
                env:
                  DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}
      `),
      good: y(`
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  echo "::add-mask::$DEPLOY_TOKEN"
                  echo "$DEPLOY_TOKEN" | ./deploy.sh --token-stdin
                env:
                  DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}
      `),
      at: [[7, 32]],
    },
    {
      name: 'GitHub: printenv in a job with secrets in its environment',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        jobs:
          debug:
            runs-on: ubuntu-latest
            env:
              NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
            steps:
              - run: printenv | sort
      `),
      good: y(`
        on: push
        jobs:
          debug:
            runs-on: ubuntu-latest
            steps:
              - run: printenv | sort
      `),
      at: [[8, 14]],
    },
    {
      name: 'GitHub: a secret written to the job summary',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        jobs:
          summary:
            runs-on: ubuntu-latest
            steps:
              - run: echo "token \${{ secrets.PREVIEW_TOKEN }}" >> "$GITHUB_STEP_SUMMARY"
      `),
      good: y(`
        on: push
        jobs:
          summary:
            runs-on: ubuntu-latest
            steps:
              - run: echo "preview deployed" >> "$GITHUB_STEP_SUMMARY"
      `),
      at: [[6, 26]],
    },
    {
      name: 'GitHub: a traced shell (bash -x) using a secret',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - shell: bash -x {0}
                run: ./deploy.sh "$DEPLOY_TOKEN"
                env:
                  DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}
      `),
      good: y(`
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - shell: bash {0}
                run: ./deploy.sh "$DEPLOY_TOKEN"
                env:
                  DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}
      `),
      at: [[7, 27]],
    },
    {
      name: 'GitLab: set -x in before_script traces the script',
      path: '.gitlab-ci.yml',
      bad: y(`
        default:
          before_script:
            - set -eux
        deploy:
          script:
            - ./deploy.sh "$DEPLOY_TOKEN"
      `),
      good: y(`
        default:
          before_script:
            - set -eu
        deploy:
          script:
            - ./deploy.sh "$DEPLOY_TOKEN"
      `),
      at: [[3, 7]],
    },
    {
      name: 'GitLab: CI_DEBUG_SERVICES in a job',
      path: '.gitlab-ci.yml',
      bad: y(`
        test:
          variables:
            CI_DEBUG_SERVICES: "true"
          script: [make test]
      `),
      good: y(`
        test:
          variables:
            CI_DEBUG_SERVICES: "false"
          script: [make test]
      `),
      at: [[3, 5]],
    },
    {
      name: 'Azure: a secret macro in a PowerShell Write-Host',
      path: 'azure-pipelines.yml',
      bad: y(`
        steps:
        - pwsh: Write-Host "key is $(storageKey)"
      `),
      good: y(`
        steps:
        - pwsh: ./upload.ps1
          env:
            STORAGE_KEY: $(storageKey)
      `),
      at: [[2, 28]],
    },
    {
      name: 'CircleCI: a heredoc printed by cat',
      path: '.circleci/config.yml',
      bad: y(`
        version: 2.1
        jobs:
          build:
            docker: [{ image: cimg/base:current }]
            steps:
              - run: |
                  cat <<EOF
                  token=$API_TOKEN
                  EOF
      `),
      good: y(`
        version: 2.1
        jobs:
          build:
            docker: [{ image: cimg/base:current }]
            steps:
              - run: |
                  cat <<EOF > ~/.apirc
                  token=$API_TOKEN
                  EOF
      `),
      at: [[8, 17]],
    },
  ],

  'ci-secret-to-artifact': [
    {
      name: "GitHub: google-github-actions/auth's credentials file uploaded with the workspace",
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        permissions:
          contents: read
          id-token: write
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: google-github-actions/auth@71fee32a0bb7e97b4d33d548e7d957010649d8fa # v2
                with:
                  workload_identity_provider: \${{ vars.WIF_PROVIDER }}
                  service_account: \${{ vars.DEPLOY_SA }}
              - run: make
              - uses: actions/upload-artifact@v4
                with:
                  name: build
                  path: .
      `),
      good: y(`
        on: push
        permissions:
          contents: read
          id-token: write
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: google-github-actions/auth@71fee32a0bb7e97b4d33d548e7d957010649d8fa # v2
                with:
                  workload_identity_provider: \${{ vars.WIF_PROVIDER }}
                  service_account: \${{ vars.DEPLOY_SA }}
              - run: make
              - uses: actions/upload-artifact@v4
                with:
                  name: build
                  path: |
                    .
                    !gha-creds-*.json
      `),
      at: [[17, 17]],
    },
    {
      name: 'GitHub: a dot-file cached (caches keep hidden files)',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: echo "$NPM_TOKEN" > .cache/npm-token
                env:
                  NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
              - uses: actions/cache@v4
                with:
                  path: .cache
                  key: npm
      `),
      good: y(`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: echo "$NPM_TOKEN" > "$RUNNER_TEMP/npm-token"
                env:
                  NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
              - uses: actions/cache@v4
                with:
                  path: .cache
                  key: npm
      `),
      at: [[6, 34]],
    },
    {
      name: 'GitHub: a dot-file uploaded only with include-hidden-files',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: echo "$NPM_TOKEN" > .npmrc
                env:
                  NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
              - uses: actions/upload-artifact@v4
                with:
                  name: all
                  path: .
                  include-hidden-files: true
      `),
      good: y(`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: echo "$NPM_TOKEN" > .npmrc
                env:
                  NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
              - uses: actions/upload-artifact@v4
                with:
                  name: all
                  path: .
      `),
      at: [[6, 34]],
    },
    {
      name: 'GitLab: untracked files as artifacts',
      path: '.gitlab-ci.yml',
      bad: y(`
        build:
          script:
            - echo "$DEPLOY_TOKEN" > deploy-token
            - make
          artifacts:
            untracked: true
      `),
      good: y(`
        build:
          script:
            - echo "$DEPLOY_TOKEN" > /tmp/deploy-token
            - make
          artifacts:
            untracked: true
      `),
      at: [[3, 30]],
    },
    {
      name: 'GitLab: a secret in a dotenv report',
      path: '.gitlab-ci.yml',
      bad: y(`
        build:
          script:
            - echo "DEPLOY_TOKEN=$DEPLOY_TOKEN" >> deploy.env
          artifacts:
            reports:
              dotenv: deploy.env
      `),
      good: y(`
        build:
          script:
            - echo "IMAGE_TAG=$CI_COMMIT_SHORT_SHA" >> deploy.env
          artifacts:
            reports:
              dotenv: deploy.env
      `),
      at: [[3, 44]],
    },
  ],

  'ci-unpinned-action-with-secrets': [
    {
      name: 'GitHub: a container action by tag',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        jobs:
          scan:
            runs-on: ubuntu-latest
            steps:
              - uses: docker://acme/scanner:latest
                env:
                  SCANNER_TOKEN: \${{ secrets.SCANNER_TOKEN }}
      `),
      good: y(`
        on: push
        jobs:
          scan:
            runs-on: ubuntu-latest
            steps:
              - uses: docker://acme/scanner@sha256:3b9c1f0e2d4a6b8c0e2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b
                env:
                  SCANNER_TOKEN: \${{ secrets.SCANNER_TOKEN }}
      `),
      at: [[6, 15]],
    },
    {
      name: 'GitHub: an unpinned action without secrets is not reported',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        env:
          SONAR_TOKEN: \${{ secrets.SONAR_TOKEN }}
        jobs:
          lint:
            runs-on: ubuntu-latest
            steps:
              - uses: some-org/lint-action@v3
      `),
      good: y(`
        on: push
        jobs:
          lint:
            runs-on: ubuntu-latest
            steps:
              - uses: some-org/lint-action@v3
          sonar:
            runs-on: ubuntu-latest
            steps:
              - uses: some-org/sonar-action@c4a1d6b3e5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5
                env:
                  SONAR_TOKEN: \${{ secrets.SONAR_TOKEN }}
      `),
      at: [[8, 15]],
    },
    {
      name: 'GitLab: a remote include without integrity, a component at ~latest',
      path: '.gitlab-ci.yml',
      bad: y(`
        include:
          - remote: https://templates.internal/ci/deploy.yml
          - component: gitlab.com/acme/deploy/deploy@~latest
        build:
          script: [make]
      `),
      good: y(`
        include:
          - remote: https://templates.internal/ci/deploy.yml
            integrity: sha256-L5s1o4zNCfQ3oPnB8rVJ6kq2mXgT9yHcW0dAeFuIjYp=
          - component: gitlab.com/acme/deploy/deploy@2.4.1
        build:
          script: [make]
      `),
      at: [
        [2, 13],
        [3, 16],
      ],
    },
    {
      name: 'CircleCI: an orb without a version',
      path: '.circleci/config.yml',
      bad: y(`
        version: 2.1
        orbs:
          notify: acme/notify
        workflows: {}
      `),
      good: y(`
        version: 2.1
        orbs:
          notify: acme/notify@1.3.0
        workflows: {}
      `),
      at: [[3, 11]],
    },
  ],

  'ci-all-secrets-exposed': [
    {
      name: 'secrets[…] with a computed name',
      path: '.github/workflows/deploy.yml',
      bad: y(`
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            strategy:
              matrix:
                stage: [staging, production]
            steps:
              - run: ./deploy.sh
                env:
                  DEPLOY_TOKEN: \${{ secrets[format('{0}_TOKEN', matrix.stage)] }}
      `),
      good: y(`
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            strategy:
              matrix:
                stage: [staging, production]
            environment: \${{ matrix.stage }}
            steps:
              - run: ./deploy.sh
                env:
                  DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}
      `),
      at: [[11, 29]],
    },
    {
      name: 'toJson(secrets) in an env value',
      path: '.github/workflows/debug.yml',
      bad: y(`
        on: push
        jobs:
          debug:
            runs-on: ubuntu-latest
            steps:
              - run: ./check-config.sh
                env:
                  ALL: \${{ toJson( secrets ) }}
      `),
      good: y(`
        on: push
        jobs:
          debug:
            runs-on: ubuntu-latest
            steps:
              - run: ./check-config.sh
      `),
      at: [[8, 20]],
    },
  ],

  'ci-excessive-permissions': [
    {
      name: 'write-all on a job',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        permissions:
          contents: read
        jobs:
          release:
            runs-on: ubuntu-latest
            permissions: write-all
            steps:
              - run: make release
      `),
      good: y(`
        on: push
        permissions:
          contents: read
        jobs:
          release:
            runs-on: ubuntu-latest
            permissions:
              contents: write
            steps:
              - run: make release
      `),
      at: [[7, 18]],
    },
    {
      name: 'workflow_run without any permissions block',
      path: '.github/workflows/after-ci.yml',
      bad: y(`
        on:
          workflow_run:
            workflows: [ci]
            types: [completed]
        jobs:
          comment:
            runs-on: ubuntu-latest
            steps:
              - run: ./comment.sh
      `),
      good: y(`
        on:
          workflow_run:
            workflows: [ci]
            types: [completed]
        jobs:
          comment:
            runs-on: ubuntu-latest
            permissions:
              pull-requests: write
            steps:
              - run: ./comment.sh
      `),
      at: [[2, 3]],
    },
  ],

  'ci-static-publish-token': [
    {
      name: 'GitHub: pypa/gh-action-pypi-publish with a password',
      path: '.github/workflows/release.yml',
      bad: y(`
        on: release
        permissions:
          contents: read
        jobs:
          pypi:
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4
                with:
                  password: \${{ secrets.PYPI_API_TOKEN }}
      `),
      good: y(`
        on: release
        permissions:
          contents: read
          id-token: write
        jobs:
          pypi:
            runs-on: ubuntu-latest
            environment: pypi
            steps:
              - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4
      `),
      at: [[10, 11]],
    },
    {
      name: 'GitHub: cargo publish with CARGO_REGISTRY_TOKEN',
      path: '.github/workflows/release.yml',
      bad: y(`
        on: release
        permissions:
          contents: read
        jobs:
          crate:
            runs-on: ubuntu-latest
            steps:
              - run: cargo publish
                env:
                  CARGO_REGISTRY_TOKEN: \${{ secrets.CRATES_IO_TOKEN }}
      `),
      good: y(`
        on: release
        permissions:
          contents: read
          id-token: write
        jobs:
          crate:
            runs-on: ubuntu-latest
            steps:
              - uses: rust-lang/crates-io-auth-action@e919bc7605cde86df457cf5b93c5e103838bd879 # v1.0.1
                id: auth
              - run: cargo publish
                env:
                  CARGO_REGISTRY_TOKEN: \${{ steps.auth.outputs.token }}
      `),
      at: [[10, 11]],
    },
    {
      name: 'GitLab: TWINE_PASSWORD',
      path: '.gitlab-ci.yml',
      bad: y(`
        pypi:
          variables:
            TWINE_USERNAME: __token__
            TWINE_PASSWORD: $PYPI_TOKEN
          script:
            - python -m twine upload dist/*
      `),
      good: y(`
        pypi:
          id_tokens:
            PYPI_ID_TOKEN:
              aud: pypi
          script:
            - ./scripts/pypi-trusted-publish.sh
      `),
      at: [[4, 5]],
    },
    {
      name: 'NODE_AUTH_TOKEN for GitHub Packages, or only for installing, is not a publish token',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: release
        permissions:
          contents: read
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - run: npm ci && npm publish
                env:
                  NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
      `),
      good: y(`
        on: release
        permissions:
          contents: read
          packages: write
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-node@v4
                with:
                  registry-url: https://npm.pkg.github.com
              - run: npm ci && npm publish
                env:
                  NODE_AUTH_TOKEN: \${{ secrets.GITHUB_TOKEN }}
          test:
            runs-on: ubuntu-latest
            steps:
              - run: npm ci
                env:
                  NODE_AUTH_TOKEN: \${{ secrets.NPM_READ_TOKEN }}
      `),
      at: [[10, 11]],
    },
  ],

  'ci-secret-interpolated-in-script': [
    {
      name: 'GitHub: github.token in run',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        permissions:
          contents: read
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - run: gh release view --repo acme/app --token \${{ github.token }}
      `),
      good: y(`
        on: push
        permissions:
          contents: read
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - run: gh release view --repo acme/app
                env:
                  GH_TOKEN: \${{ github.token }}
      `),
      at: [[8, 54]],
    },
    {
      name: 'GitHub: a secret in an actions/github-script script',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: push
        permissions:
          contents: read
        jobs:
          notify:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/github-script@v7
                with:
                  script: |
                    await fetch(url, { headers: { 'x-token': '\${{ secrets.HOOK_TOKEN }}' } })
      `),
      good: y(`
        on: push
        permissions:
          contents: read
        jobs:
          notify:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/github-script@v7
                env:
                  HOOK_TOKEN: \${{ secrets.HOOK_TOKEN }}
                with:
                  script: |
                    await fetch(url, { headers: { 'x-token': process.env.HOOK_TOKEN } })
      `),
      at: [[11, 55]],
    },
    {
      name: 'Jenkins: a triple-quoted GString in sh',
      path: 'Jenkinsfile',
      bad: y(`
        node {
          withCredentials([usernamePassword(credentialsId: 'nexus', usernameVariable: 'NEXUS_USER', passwordVariable: 'NEXUS_PASS')]) {
            sh """
              mvn deploy -Dnexus.password=\${NEXUS_PASS}
            """
          }
        }
      `),
      good: y(`
        node {
          withCredentials([usernamePassword(credentialsId: 'nexus', usernameVariable: 'NEXUS_USER', passwordVariable: 'NEXUS_PASS')]) {
            sh '''
              mvn deploy -Dnexus.password="$NEXUS_PASS"
            '''
          }
        }
      `),
      at: [[4, 35]],
    },
  ],

  'ci-self-hosted-on-fork-prs': [
    {
      name: 'a runner group with the self-hosted label on pull_request_target',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: pull_request_target
        permissions:
          contents: read
        jobs:
          test:
            runs-on:
              group: build-farm
              labels: [self-hosted, gpu]
            steps:
              - run: make test
      `),
      good: y(`
        on: pull_request_target
        permissions:
          contents: read
        jobs:
          test:
            if: github.event.pull_request.head.repo.fork == false
            runs-on:
              group: build-farm
              labels: [self-hosted, gpu]
            steps:
              - run: make test
      `),
      at: [[8, 16]],
    },
    {
      name: 'a push-only workflow may use self-hosted runners',
      path: '.github/workflows/ci.yml',
      bad: y(`
        on: [push, pull_request]
        permissions:
          contents: read
        jobs:
          test:
            runs-on: self-hosted
            steps:
              - run: make test
      `),
      good: y(`
        on: [push]
        permissions:
          contents: read
        jobs:
          test:
            runs-on: self-hosted
            steps:
              - run: make test
      `),
      at: [[6, 14]],
    },
  ],

  'mcp-literal-api-key': [
    {
      name: 'Claude Desktop: env',
      path: 'claude_desktop_config.json',
      bad: y(`
        {
          "mcpServers": {
            "brave-search": {
              "command": "npx",
              "args": ["-y", "@modelcontextprotocol/server-brave-search"],
              "env": { "BRAVE_API_KEY": "hunter2hunter2" }
            }
          }
        }
      `),
      good: y(`
        {
          "mcpServers": {
            "brave-search": {
              "command": "npx",
              "args": ["-y", "@modelcontextprotocol/server-brave-search"],
              "env": { "BRAVE_API_KEY": "\${BRAVE_API_KEY}" }
            }
          }
        }
      `),
      at: [[6, 34]],
    },
    {
      name: 'Cursor: docker -e NAME=value and --token=value',
      path: '.cursor/mcp.json',
      bad: y(`
        {
          "mcpServers": {
            "jira": {
              "command": "docker",
              "args": ["run", "-i", "--rm", "-e", "JIRA_API_TOKEN=hunter2hunter2", "acme/jira-mcp", "--token=hunter3hunter3"]
            }
          }
        }
      `),
      good: y(`
        {
          "mcpServers": {
            "jira": {
              "command": "docker",
              "args": ["run", "-i", "--rm", "-e", "JIRA_API_TOKEN", "acme/jira-mcp"],
              "env": { "JIRA_API_TOKEN": "\${env:JIRA_API_TOKEN}" }
            }
          }
        }
      `),
      at: [
        [5, 59],
        [5, 102],
      ],
    },
    {
      name: 'Zed: context_servers in settings.json',
      path: '.zed/settings.json',
      bad: y(`
        {
          "context_servers": {
            "postgres": {
              "command": { "path": "mcp-postgres", "args": [], "env": { "PGPASSWORD": "hunter2hunter2" } }
            }
          }
        }
      `),
      good: y(`
        {
          "context_servers": {
            "postgres": {
              "command": { "path": "mcp-postgres", "args": [], "env": { "PGPASSFILE": "/home/dev/.pgpass" } }
            }
          }
        }
      `),
      at: [[4, 80]],
    },
    {
      name: 'Continue: a YAML mcpServers list',
      path: '.continue/mcpServers/search.yaml',
      bad: y(`
        name: search
        mcpServers:
          - name: search
            command: npx
            args: ["-y", "@acme/search-mcp"]
            env:
              SEARCH_API_KEY: hunter2hunter2
      `),
      good: y(`
        name: search
        mcpServers:
          - name: search
            command: npx
            args: ["-y", "@acme/search-mcp"]
            env:
              SEARCH_API_KEY: \${{ secrets.SEARCH_API_KEY }}
      `),
      at: [[7, 23]],
    },
    {
      name: 'Codex: config.toml tables',
      path: '.codex/config.toml',
      bad: y(`
        [mcp_servers.tracker]
        command = "npx"
        args = ["-y", "@acme/tracker-mcp", "--api-key", "hunter2hunter2"]

        [mcp_servers.tracker.env]
        TRACKER_TOKEN = "hunter3hunter3"
      `),
      good: y(`
        [mcp_servers.tracker]
        command = "npx"
        args = ["-y", "@acme/tracker-mcp"]
        env_vars = ["TRACKER_API_KEY", "TRACKER_TOKEN"]
      `),
      at: [
        [3, 50],
        [6, 18],
      ],
    },
  ],
};

describe.each(Object.entries(CASES))('%s', (ruleId, cases) => {
  it.each(cases)('$name', ({ path, bad, good, at }) => {
    const fired = runCiChecks({ path, text: bad });
    expect(fired.errors).toEqual([]);
    expect(fired.candidates.filter((candidate) => candidate.ruleId === ruleId).map((candidate) => [candidate.line, candidate.column])).toEqual(at);
    const fixed = runCiChecks({ path, text: good });
    expect(fixed.errors).toEqual([]);
    expect(fixed.candidates.map((candidate) => `${candidate.ruleId} ${candidate.line}:${candidate.column}`)).toEqual([]);
  });
});

it('has a table for every check', () => {
  expect(Object.keys(CASES).sort()).toEqual(CI_CHECKS.map((check) => check.id).sort());
});

/** Configurations that look suspicious to a plain-text scanner and are fine. */
const SILENT: { name: string; path: string; text: string }[] = [
  {
    name: 'throwaway service-container passwords',
    path: '.github/workflows/ci.yml',
    text: y(`
      on: push
      permissions:
        contents: read
      jobs:
        test:
          runs-on: ubuntu-latest
          services:
            postgres:
              image: postgres:16
              env:
                POSTGRES_PASSWORD: postgres
          steps:
            - run: make test
              env:
                DATABASE_PASSWORD: postgres
    `),
  },
  {
    name: "a service container's password, repeated where the tests connect to it",
    path: '.github/workflows/ci.yml',
    text: y(`
      on: push
      permissions:
        contents: read
      jobs:
        test:
          runs-on: ubuntu-latest
          services:
            sqlserver:
              image: mcr.microsoft.com/mssql/server:2022-latest
              env:
                ACCEPT_EULA: Y
                MSSQL_SA_PASSWORD: Sql2022pass9
          steps:
            - run: make test
              env:
                DB_PASSWORD: Sql2022pass9
    `),
  },
  {
    name: 'stand-in keys for a local cloud emulator',
    path: '.github/workflows/ci.yml',
    text: y(`
      on: push
      permissions:
        contents: read
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - run: make test
              env:
                DYNAMODB_ENDPOINT: http://localhost:8000
                AWS_ACCESS_KEY_ID: localKey
                AWS_SECRET_ACCESS_KEY: localSecret
    `),
  },
  {
    name: 'names of secrets, not values',
    path: '.github/workflows/ci.yml',
    text: y(`
      on: push
      permissions:
        contents: read
      jobs:
        deploy:
          runs-on: ubuntu-latest
          steps:
            - uses: hashicorp/vault-action@4c06c5ccf5c0761b6029f56cfb1dcf5565918a3b # v3.4.0
              with:
                secrets: |
                  secret/data/ci/aws accessKey | AWS_ACCESS_KEY_ID ;
                  secret/data/ci/npm token | NPM_TOKEN
                token-name: ci-deployer
                secret-id-file: /run/secrets/vault
    `),
  },
  {
    name: 'cache keys, key ids and public keys',
    path: '.gitlab-ci.yml',
    text: y(`
      build:
        variables:
          GPG_KEY_ID: 3AA5C34371567BD2
          COSIGN_PUBLIC_KEY: cosign.pub
          TOKEN_URL: https://auth.internal/oauth/token
        cache:
          key: deps-v2-1234
          paths: [node_modules/]
        script: [make]
    `),
  },
  {
    name: 'Travis secure values, AWS keys without OIDC to offer',
    path: '.travis.yml',
    text: y(`
      env:
        global:
          - secure: "c2VjdXJlIHZhbHVlcyBhcmUgZW5jcnlwdGVkIGJ5IHRyYXZpcyBhbmQgc2FmZQ=="
          - AWS_ACCESS_KEY_ID=$AWS_KEY_ID
      script: make
    `),
  },
  {
    name: 'CodeBuild references to Parameter Store and Secrets Manager',
    path: 'buildspec.yml',
    text: y(`
      version: 0.2
      env:
        parameter-store:
          DB_PASSWORD: /prod/db/password
        secrets-manager:
          API_TOKEN: prod/api:token
      phases:
        build:
          commands: [./build.sh]
    `),
  },
  {
    name: 'secrets: inherit to a workflow of the same repository',
    path: '.github/workflows/release.yml',
    text: y(`
      on: push
      permissions:
        contents: read
      jobs:
        publish:
          uses: ./.github/workflows/publish.yml
          secrets: inherit
    `),
  },
  {
    name: 'printenv in a GitHub job without secrets',
    path: '.github/workflows/ci.yml',
    text: y(`
      on: push
      permissions:
        contents: read
      jobs:
        debug:
          runs-on: ubuntu-latest
          steps:
            - run: printenv
    `),
  },
];

describe('silent on what only looks risky', () => {
  it.each(SILENT)('$name', ({ path, text }) => {
    const result = runCiChecks({ path, text });
    expect(result.errors).toEqual([]);
    expect(result.candidates.map((candidate) => `${candidate.ruleId} ${candidate.line}:${candidate.column}`)).toEqual([]);
  });
});
