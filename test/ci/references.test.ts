/**
 * src/ci/references.ts: each platform's reference syntax is recognised (and never reported as a leak,
 * whatever setting it sits in), secret names are told from names that describe secrets, and literal values
 * are told from references, placeholders, paths and names. Also reconcileCandidates, which applies the
 * same knowledge to the detectors' candidates in CI files.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CI_CHECKS, reconcileCandidates, runCiChecks, type CiPlatform } from '../../src/ci/index.js';
import { isLiteralSecretValue, isSafeReference, isSecretName } from '../../src/ci/references.js';
import { Detector } from '../../src/detect/detector.js';
import { builtinRulesDir, compileRules, loadRuleSource } from '../../src/rules/load.js';
import { createFaker } from '../helpers/fake-secrets.js';

/** Every reference form of the issue, in the platform that uses it. */
const REFERENCES: [CiPlatform, string][] = [
  ['github', '${{ secrets.NPM_TOKEN }}'],
  ['github', '${{ vars.DEPLOY_ROLE }}'],
  ['github', 'Bearer ${{ secrets.API_TOKEN }}'],
  ['github', '${{ github.token }}'],
  ['gitea', '${{ secrets.GITEA_TOKEN }}'],
  ['gitlab', '$DEPLOY_TOKEN'],
  ['gitlab', '${DEPLOY_TOKEN}'],
  ['gitlab', '$$ESCAPED_TOKEN'],
  ['gitlab', '$[[ inputs.token ]]'],
  ['gitlab', '$CI_REGISTRY_USER:$CI_REGISTRY_PASSWORD'],
  ['azure', '$(deployToken)'],
  ['azure', '$(System.AccessToken)'],
  ['azure', '$[ variables.token ]'],
  ['jenkins', "credentials('deploy-token')"],
  ['jenkins', 'env.DEPLOY_TOKEN'],
  ['jenkins', '${env.DEPLOY_TOKEN}'],
  ['drone', '${DRONE_DEPLOY_TOKEN}'],
  ['circleci', '<< parameters.token >>'],
  ['circleci', '$CIRCLE_TOKEN'],
  ['cirrus', 'ENCRYPTED[9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b]'],
  ['harness', '<+secrets.getValue("api_token")>'],
  ['harness', '<+secrets.getValue("org.deploy_token")>'],
  ['tekton', '$(params.token)'],
  ['argo', '{{inputs.parameters.token}}'],
  ['codebuild', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api'],
  ['cloudbuild', 'projects/acme/secrets/api-token/versions/latest'],
  ['mcp', '${input:github-token}'],
  ['mcp', '${env:SEARCH_API_KEY}'],
  ['mcp', 'op://ci/search/api-key'],
  ['github', '((concourse_token))'],
  ['github', '$env:DEPLOY_TOKEN'],
  ['github', '%DEPLOY_TOKEN%'],
];

describe('isSafeReference', () => {
  it.each(REFERENCES)('%s: %s', (platform, value) => {
    expect(isSafeReference(value, platform)).toBe(true);
  });

  it.each([
    ['github', 'hunter2hunter2'],
    ['gitlab', 'aB3$xY9zQ7wE5rT1'], // a password with a $ in it is still a password
    ['azure', 'plain-literal-9'],
    ['jenkins', 'credentials'],
    ['mcp', ''],
  ] as [CiPlatform, string][])('%s: %s is not a reference', (platform, value) => {
    expect(isSafeReference(value, platform)).toBe(false);
  });
});

describe('isSecretName', () => {
  it.each([
    'API_TOKEN',
    'NPM_TOKEN',
    'AWS_SECRET_ACCESS_KEY',
    'apiKey',
    'X-API-Key',
    'client-secret',
    'DB_PASSWORD',
    'gpg-passphrase',
    'GH_PAT',
    'NPM_AUTH',
    'Authorization',
    'credentials_json',
    'SECRET_KEY_BASE',
    'SIGNING_KEY',
    '--api-key',
    'GITHUB_PERSONAL_ACCESS_TOKEN',
  ])('%s holds a secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    'AWS_ACCESS_KEY_ID',
    'TOKEN_URL',
    'SECRET_NAME',
    'password-env',
    'SecretsFilter',
    'key',
    'cache-key',
    'COSIGN_PUBLIC_KEY',
    'STRIPE_PUBLISHABLE_KEY',
    'GPG_KEY_ID',
    'token-name',
    'TOKEN_PERMISSIONS',
    'ssh_key_path',
    'username',
    'SECRET_DETECTION_HISTORIC_SCAN',
    'MAX_TOKENS',
    'TOKEN_ROTATION_DAYS',
  ])('%s does not', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('isLiteralSecretValue', () => {
  it.each(['hunter2hunter2', 'Xk29-aaQp_77zz', 'c0rrect-h0rse'])('%s could be a credential', (value) => {
    expect(isLiteralSecretValue(value)).toBe(true);
  });

  it.each([
    '',
    'short1',
    '${{ secrets.X }}',
    '$DEPLOY_TOKEN',
    'changeme',
    'your-api-key-here',
    'postgres',
    'true',
    'DEPLOY_TOKEN_VALUE',
    'my-app-secret',
    'https://example.internal/path',
    './secrets/token.txt',
    '/run/secrets/token',
    '12345678',
    '1.2.3.4',
    'two words here',
    'xxxxxxxxxxxx',
  ])('%s is not', (value) => {
    expect(isLiteralSecretValue(value)).toBe(false);
  });

  it("is not the Azure Storage emulator's published account key (devstoreaccount1)", () => {
    // Split so that no scanner takes this file for a leak; every developer machine has this key.
    const azurite = ['Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq', '/K1SZFPTOtr/KBHBeksoGMGw=='].join('');
    expect(isLiteralSecretValue(azurite)).toBe(false);
  });
});

/** Settings of each platform with REFERENCE in the place a secret goes. */
/** A YAML double-quoted scalar (JSON's string syntax is valid YAML). */
const q = (value: string) => JSON.stringify(value);

const CONTEXTS: { path: string; text: (reference: string) => string }[] = [
  { path: '.github/workflows/ci.yml', text: (r) => `on: push\nenv:\n  API_TOKEN: ${q(r)}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/deploy@v1\n        with:\n          password: ${q(r)}\n` },
  { path: '.gitlab-ci.yml', text: (r) => `variables:\n  DEPLOY_TOKEN: ${q(r)}\njob:\n  script:\n    - docker login -u ci -p ${q(r)} registry.internal\n` },
  { path: '.circleci/config.yml', text: (r) => `version: 2.1\njobs:\n  a:\n    docker:\n      - image: acme/x:1\n        auth:\n          username: ci\n          password: ${q(r)}\n    environment:\n      API_TOKEN: ${q(r)}\n    steps: [checkout]\n` },
  { path: 'azure-pipelines.yml', text: (r) => `variables:\n  API_TOKEN: ${q(r)}\nsteps:\n- script: curl -u ${q(`ci:${r}`)} https://files.internal\n` },
  { path: 'bitbucket-pipelines.yml', text: (r) => `image:\n  name: acme/x:1\n  username: ci\n  password: ${q(r)}\npipelines:\n  default:\n    - step:\n        script:\n          - pipe: atlassian/x:1.0.0\n            variables:\n              API_TOKEN: ${q(r)}\n` },
  { path: '.drone.yml', text: (r) => `kind: pipeline\nsteps:\n  - name: a\n    image: plugins/docker\n    settings:\n      password: ${q(r)}\n` },
  { path: 'cloudbuild.yaml', text: (r) => `substitutions:\n  _API_TOKEN: ${q(r)}\nsteps:\n  - name: x\n    env: [${q(`API_TOKEN=${r}`)}]\n` },
  { path: 'Jenkinsfile', text: (r) => `pipeline {\n  environment {\n    API_TOKEN = '${r.replace(/'/g, '"')}'\n  }\n}\n` },
  { path: '.mcp.json', text: (r) => `{"mcpServers": {"x": {"command": "x", "args": ["--api-key", ${JSON.stringify(r)}], "env": {"API_KEY": ${JSON.stringify(r)}}, "headers": {"Authorization": ${JSON.stringify(`Bearer ${r}`)}}}}}` },
];

const LITERAL_RULES = new Set(CI_CHECKS.filter((check) => check.literal).map((check) => check.id));

describe('no reference is ever reported as a leaked secret', () => {
  const cases = CONTEXTS.flatMap((context) => REFERENCES.map(([, reference]) => ({ ...context, reference })));
  it.each(cases)('$path: $reference', ({ path, text, reference }) => {
    const result = runCiChecks({ path, text: text(reference) });
    expect(result.errors).toEqual([]);
    expect(result.candidates.filter((candidate) => LITERAL_RULES.has(candidate.ruleId)).map((candidate) => candidate.secret)).toEqual([]);
  });
});

describe('reconcileCandidates', () => {
  let detector: Detector;
  beforeAll(async () => {
    detector = new Detector(await compileRules(await loadRuleSource(builtinRulesDir(), { builtin: true })));
  });

  it('keeps the provider rule and drops the catch-all on the same literal', () => {
    const token = createFaker(61).make('github:ghp');
    const text = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./release.sh\n        env:\n          RELEASE_TOKEN: ${token}\n`;
    const file = { path: '.github/workflows/release.yml', text };
    const detected = detector.detect({ origin: { path: file.path, source: 'worktree' }, text });
    const ci = runCiChecks(file);
    expect(detected.map((candidate) => candidate.ruleId)).toContain('github-pat-classic');
    expect(ci.candidates.map((candidate) => candidate.ruleId)).toContain('ci-hardcoded-secret');
    const merged = reconcileCandidates(detected, ci);
    expect(merged.filter((candidate) => candidate.secret === token).map((candidate) => candidate.ruleId)).toEqual(['github-pat-classic']);
  });

  it('drops detector candidates that are references, or inside an encrypted value', () => {
    const blob = createFaker(62).make('base64:120');
    const text = `env:\n  global:\n    - secure: "${blob}"\nscript: make\n`;
    const file = { path: '.travis.yml', text };
    const ci = runCiChecks(file);
    const start = text.indexOf(blob);
    const fake = (secret: string, at: number) => ({
      ruleId: 'generic-secret-assignment',
      secret,
      start: at,
      end: at + secret.length,
      line: 3,
      column: 1,
      endLine: 3,
      endColumn: 1,
      lineText: '',
      validated: [],
      entropy: 5,
      origin: { path: file.path, source: 'worktree' as const },
    });
    expect(reconcileCandidates([fake(blob, start), fake('$(System.AccessToken)', 0)], ci)).toEqual([]);
    expect(reconcileCandidates([fake(blob, 0)], { ...ci, safeSpans: [] })).toHaveLength(1);
  });
});
