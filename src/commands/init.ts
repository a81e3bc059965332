/**
 * `secretscan init`: the files a repository needs to start using secretscan, written once and never
 * overwritten without --force.
 *
 * - `.secretscanrc`: every key of `.secretscanrc.example`, commented out except `failOn`, so the file
 *   documents itself and loads cleanly as written (the example's own rules file and allowlist entries are
 *   illustrations, not defaults).
 * - `.gitattributes`: `.secretscan-baseline.json merge=union`, so two branches that both add baseline
 *   entries merge without a conflict (the baseline's format keeps any union valid JSON). Appended, never
 *   replaced.
 * - `--github`: `.github/workflows/secretscan.yml`, scanning each push and pull request's commits and
 *   uploading SARIF to code scanning.
 * - `--gitlab`: `.gitlab/ci/secretscan.yml`, a job that writes GitLab's secret-detection report, included
 *   from `.gitlab-ci.yml` (created if there is none; an existing one is never edited: we say what to add).
 * - `--pre-commit`: `.pre-commit-config.yaml` for the pre-commit framework (for a plain Git hook,
 *   `secretscan hook install`).
 *
 * Files are written relative to `dir`, normally the repository's top level.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BASELINE_FILE } from '../suppress/baseline.js';

export interface InitOptions {
  /** Where to write (the repository's top level). */
  dir: string;
  github?: boolean;
  gitlab?: boolean;
  preCommit?: boolean;
  /** Replace files that exist. */
  force?: boolean;
  /** The secretscan version the CI files install. */
  version: string;
}

export interface InitResult {
  /** Paths written or replaced, relative to `dir`. */
  written: string[];
  /** Paths left as they were because they exist (no --force). */
  kept: string[];
  /** Things the user should do by hand, one line each. */
  notes: string[];
}

/** Pinned by commit, as every third-party action should be; the comment names the release. */
export const PINNED_ACTIONS = {
  checkout: 'actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6.1.0',
  setupNode: 'actions/setup-node@249970729cb0ef3589644e2896645e5dc5ba9c38 # v6.5.0',
  uploadSarif: 'github/codeql-action/upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e # v4.36.2',
} as const;

/** Any of these already configures secretscan: writing `.secretscanrc` beside it would shadow it. */
const CONFIG_FILES = [
  '.secretscanrc',
  '.secretscanrc.json',
  '.secretscanrc.yaml',
  '.secretscanrc.yml',
  '.secretscanrc.js',
  '.secretscanrc.cjs',
  '.secretscanrc.mjs',
  'secretscan.config.js',
  'secretscan.config.cjs',
  'secretscan.config.mjs',
];

const GITATTRIBUTES_LINE = `${BASELINE_FILE} merge=union`;
const GITLAB_JOB_FILE = '.gitlab/ci/secretscan.yml';

export async function init(options: InitOptions): Promise<InitResult> {
  const result: InitResult = { written: [], kept: [], notes: [] };
  const write = async (path: string, content: string) => {
    const full = join(options.dir, path);
    if (existsSync(full) && !options.force) {
      result.kept.push(path);
      return false;
    }
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
    result.written.push(path);
    return true;
  };

  const existingConfig = await findConfig(options.dir);
  if (existingConfig && existingConfig !== '.secretscanrc' && !options.force) {
    result.kept.push('.secretscanrc');
    result.notes.push(`${existingConfig} already configures secretscan: not writing .secretscanrc beside it (it would take precedence)`);
  } else {
    await write('.secretscanrc', configTemplate());
  }

  if (await ensureLine(join(options.dir, '.gitattributes'), GITATTRIBUTES_LINE)) result.written.push('.gitattributes');

  if (options.github) await write('.github/workflows/secretscan.yml', githubWorkflow(options.version));

  if (options.gitlab) {
    await write(GITLAB_JOB_FILE, gitlabJob(options.version));
    const root = join(options.dir, '.gitlab-ci.yml');
    if (!existsSync(root)) {
      await write('.gitlab-ci.yml', `# Pipeline entry point, written by secretscan init: add your own jobs below.\ninclude:\n  - local: ${GITLAB_JOB_FILE}\n`);
    } else if (!(await readFile(root, 'utf8')).includes(GITLAB_JOB_FILE)) {
      result.notes.push(`add to .gitlab-ci.yml:  include: [{ local: ${GITLAB_JOB_FILE} }]  (it was not changed)`);
    }
  }

  if (options.preCommit) {
    const written = await write('.pre-commit-config.yaml', preCommitConfig(options.version));
    if (!written && !(await readFile(join(options.dir, '.pre-commit-config.yaml'), 'utf8')).includes('secretscan')) {
      result.notes.push('add the secretscan hook to .pre-commit-config.yaml by hand (see "secretscan init --pre-commit --force" in an empty folder), or run "secretscan hook install" for a plain Git hook');
    }
  }
  return result;
}

/** The commented configuration: the example's keys, all optional, shown with their defaults. */
export function configTemplate(): string {
  return `# secretscan configuration (YAML; JSON works too). Every key is optional; unknown keys are errors,
# so a typo never silently turns a check off. Uncomment what you need.
# Editors that understand JSON Schema can check and complete this file:
# yaml-language-server: $schema=./node_modules/secretscan/schema/config.schema.json

# Exit with code 1 when a finding is at or above this severity:
# critical | high | medium | low | info | never   (--fail-on overrides it)
failOn: low

# Accepted findings, so CI fails only on new ones: write it with "secretscan baseline", commit it, and
# give entries a "reason" and an "expires" date. Used when the file exists.
# baseline: ${BASELINE_FILE}

# Paths not to scan at all. Gitignore syntax, relative to the scanned folder. .gitignore files, .git/ and
# node_modules/ are always honoured or skipped.
# exclude:
#   - "*.min.js"
#   - "vendor/"

# Skip files larger than this many bytes (default 10 MiB; --max-file-size overrides it).
# maxFileSize: 10485760

# Extra rules: rule files or folders (relative to this file) in the format of secretscan's rules/*.yml,
# or rules written here. User rules are RE2 syntax and run on a linear-time engine.
# rules:
#   - ./security/secretscan-rules.yml
#   - id: acme-internal-token
#     name: Acme internal service token
#     provider: acme
#     credentialType: api-key
#     privilege: high
#     lifetime: long-lived
#     keywords: [acme_svc_]
#     pattern: '\\b(acme_svc_[A-Za-z0-9]{32})\\b'
#     entropy: 3.5
#     remediation: Revoke it in the Acme admin console; services should fetch short-lived tokens from Vault.

# Built-in rules to turn off, by id ("secretscan rules" lists them).
# disableRules:
#   - stripe-test-secret-key

# Accepted values and places. Paths are gitignore-syntax globs matched against the reported path;
# regexes (RE2) and stopwords (case-insensitive substrings) are matched against the secret. Prefer an
# inline comment on the line itself: "secretscan:allow rule-id -- reason".
# allowlist:
#   paths:
#     - "test/fixtures/"
#   regexes:
#     - '^sk_test_'
#   stopwords:
#     - localdev
#   byRule:
#     generic-secret-assignment:
#       paths:
#         - "docs/"

# Check CI configuration files for risky secret handling (default true).
# ci: true

# Threads that detect (default: a second one for large scans).
# jobs: 2
`;
}

export function githubWorkflow(version: string): string {
  return `# secretscan: fail pushes and pull requests that add a credential, and list findings in code scanning.
# Written by "secretscan init --github". Accepted findings go in ${BASELINE_FILE} ("secretscan baseline").
name: secretscan

on:
  push:
  pull_request:

permissions:
  contents: read

jobs:
  secretscan:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write # upload SARIF to code scanning
    steps:
      - uses: ${PINNED_ACTIONS.checkout}
        with:
          fetch-depth: 0 # the range needs the history between its two ends
      - uses: ${PINNED_ACTIONS.setupNode}
        with:
          node-version: 20
      - name: Work out the commits to scan
        id: range
        env:
          EVENT: \${{ github.event_name }}
          PR_BASE: \${{ github.event.pull_request.base.sha }}
          PR_HEAD: \${{ github.event.pull_request.head.sha }}
          BEFORE: \${{ github.event.before }}
          AFTER: \${{ github.sha }}
          DEFAULT_BRANCH: \${{ github.event.repository.default_branch }}
        run: |
          if [ "$EVENT" = pull_request ]; then
            echo "args=--range $PR_BASE..$PR_HEAD" >> "$GITHUB_OUTPUT"
          elif [ -n "$BEFORE" ] && ! [[ "$BEFORE" =~ ^0+$ ]] && git cat-file -e "$BEFORE^{commit}" 2>/dev/null; then
            echo "args=--range $BEFORE..$AFTER" >> "$GITHUB_OUTPUT"
          elif git rev-parse --verify -q "origin/$DEFAULT_BRANCH" >/dev/null && [ "$(git rev-parse "origin/$DEFAULT_BRANCH")" != "$AFTER" ]; then
            echo "args=--range origin/$DEFAULT_BRANCH..$AFTER" >> "$GITHUB_OUTPUT"
          else
            echo "args=--branch $AFTER" >> "$GITHUB_OUTPUT"
          fi
      - name: Scan for code scanning (SARIF)
        env:
          RANGE_ARGS: \${{ steps.range.outputs.args }}
        run: npx --yes secretscan@${version} git $RANGE_ARGS --format sarif --output secretscan.sarif --fail-on never --no-progress
      - name: Upload to code scanning
        if: always() && hashFiles('secretscan.sarif') != ''
        uses: ${PINNED_ACTIONS.uploadSarif}
        with:
          sarif_file: secretscan.sarif
          category: secretscan
      - name: Fail on new secrets
        env:
          RANGE_ARGS: \${{ steps.range.outputs.args }}
        run: npx --yes secretscan@${version} git $RANGE_ARGS --fail-on low --no-progress
`;
}

export function gitlabJob(version: string): string {
  return `# secretscan: fail pipelines that add a credential, and show findings in GitLab's security widgets
# (the secret_detection report). Written by "secretscan init --gitlab"; included from .gitlab-ci.yml.
# Accepted findings go in ${BASELINE_FILE} ("secretscan baseline").
secretscan:
  stage: test
  image: node:20
  variables:
    GIT_DEPTH: "0" # the range needs the history between its two ends
  script:
    - |
      if [ -n "$CI_MERGE_REQUEST_DIFF_BASE_SHA" ]; then
        RANGE_ARGS="--range $CI_MERGE_REQUEST_DIFF_BASE_SHA..$CI_COMMIT_SHA"
      elif [ -n "$CI_COMMIT_BEFORE_SHA" ] && ! echo "$CI_COMMIT_BEFORE_SHA" | grep -Eq '^0+$'; then
        RANGE_ARGS="--range $CI_COMMIT_BEFORE_SHA..$CI_COMMIT_SHA"
      else
        RANGE_ARGS="--branch $CI_COMMIT_SHA"
      fi
    - npx --yes secretscan@${version} git $RANGE_ARGS --format gitlab --output gl-secret-detection-report.json --fail-on never --no-progress
    - npx --yes secretscan@${version} git $RANGE_ARGS --fail-on low --no-progress
  artifacts:
    when: always
    reports:
      secret_detection: gl-secret-detection-report.json
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS == null
`;
}

export function preCommitConfig(version: string): string {
  return `# pre-commit (https://pre-commit.com): refuse commits that add a credential.
# Written by "secretscan init --pre-commit". Run "pre-commit install" once per clone.
# Without the pre-commit framework, "secretscan hook install" writes a plain Git hook instead.
repos:
  - repo: local
    hooks:
      - id: secretscan
        name: secretscan (staged changes)
        entry: secretscan git --staged
        language: node
        additional_dependencies: ["secretscan@${version}"]
        pass_filenames: false
        always_run: true
        stages: [pre-commit]
`;
}

async function findConfig(dir: string): Promise<string | undefined> {
  for (const name of CONFIG_FILES) if (existsSync(join(dir, name))) return name;
  try {
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    if (manifest.secretscan !== undefined) return 'package.json ("secretscan" key)';
  } catch {
    // no package.json, or not ours to judge
  }
  return undefined;
}

/** Appends `line` to the file unless it is there; true when the file changed. */
async function ensureLine(path: string, line: string): Promise<boolean> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch {
    // created below
  }
  if (text.split(/\r?\n/).some((existing) => existing.trim() === line)) return false;
  await appendFile(path, `${text.length > 0 && !text.endsWith('\n') ? '\n' : ''}${line}\n`);
  return true;
}
