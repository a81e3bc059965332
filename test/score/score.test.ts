/**
 * The scoring model against scenarios a security reviewer would rank by hand (issue 5): absolute
 * severities where the answer is clear, and orderings where only the comparison is.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findingId, secretHash } from '../../src/findings/group.js';
import { ciRuleSpecs } from '../../src/ci/rules.js';
import { builtinRulesDir, loadRuleSource, ruleFromObject } from '../../src/rules/load.js';
import { scoreFindings, severityOf } from '../../src/score/score.js';
import type { Finding, Occurrence, RuleSpec, ScoredFinding } from '../../src/types.js';
import { createFaker } from '../helpers/fake-secrets.js';

const faker = createFaker(5);
let rules: Map<string, RuleSpec>;

beforeAll(async () => {
  rules = new Map((await loadRuleSource(builtinRulesDir(), { builtin: true })).map((rule) => [rule.id, rule]));
  for (const spec of ciRuleSpecs()) rules.set(spec.id, spec);
  rules.set('test-jwt', ruleFromObject({ id: 'test-jwt', pattern: 'x', credentialType: 'session-token', lifetime: 'unknown', validators: ['jwt'] }, 'test', true));
});

type Place = string | { path: string; source?: Occurrence['source']; commit?: string };

function finding(ruleId: string, places: Place[], options: { secret?: string; validated?: string[] } = {}): Finding {
  const rule = rules.get(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const secret = options.secret ?? `${ruleId}-${faker.make('alnum:24')}`;
  const occurrences = places.map((place): Occurrence => {
    const { path, source = 'worktree', commit } = typeof place === 'string' ? { path: place } : place;
    return { path, line: 1, column: 1, endLine: 1, endColumn: 2, source, ...(commit ? { commit, date: '2026-01-01T00:00:00Z' } : {}) };
  });
  return { id: findingId(ruleId, secret), rule, secret, secretHash: secretHash(secret), validated: options.validated ?? [], entropy: 4, occurrences, lineTexts: occurrences.map(() => '') };
}

/** Scores findings as one scan does (pairing looks across them). */
function scored(...findings: Finding[]): ScoredFinding[] {
  return scoreFindings(findings);
}

function one(ruleId: string, places: Place[], options?: Parameters<typeof finding>[2]): ScoredFinding {
  return scored(finding(ruleId, places, options))[0]!;
}

const jwt = (variant?: string) => faker.make(variant ? `jwt:${variant}` : 'jwt');

describe('severity of clear cases', () => {
  it.each<[string, () => ScoredFinding, string]>([
    ['AWS key id with its secret key in a GitHub workflow: the key id', () => scored(finding('aws-access-key-id', ['.github/workflows/deploy.yml']), finding('aws-secret-access-key', ['.github/workflows/deploy.yml']))[0]!, 'critical'],
    ['AWS key id with its secret key in a GitHub workflow: the secret', () => scored(finding('aws-access-key-id', ['.github/workflows/deploy.yml']), finding('aws-secret-access-key', ['.github/workflows/deploy.yml']))[1]!, 'critical'],
    ['Stripe sk_live in src/', () => one('stripe-live-secret-key', ['src/billing/stripe.ts']), 'critical'],
    ['Stripe sk_test in test/', () => one('stripe-test-secret-key', ['test/billing.test.ts']), 'low'],
    ['a Slack webhook in a README', () => one('slack-incoming-webhook', ['README.md']), 'medium'],
    ['an expired HS256 JWT', () => one('test-jwt', ['src/client.ts'], { secret: jwt('expired'), validated: ['jwt'] }), 'low'],
    ['a validated GitHub PAT in CI config', () => one('github-pat-classic', ['.gitlab-ci.yml'], { validated: ['github-checksum'] }), 'critical'],
    ['a database URI with a password in docker-compose', () => one('postgres-connection-uri', ['deploy/docker-compose.yml']), 'high'],
    ['a generic password assignment in src/', () => one('generic-secret-assignment', ['src/settings.py']), 'low'],
    ['a restricted live Stripe key', () => one('stripe-live-restricted-key', ['src/jobs/payouts.ts']), 'high'],
    ['an npm token in .npmrc, checksum-valid', () => one('npm-access-token', ['.npmrc'], { validated: ['npm-checksum'] }), 'high'],
    ['a private key in deploy/', () => one('private-key-pem', ['deploy/keys/id_rsa']), 'high'],
  ])('%s → %s', (_name, make, expected) => {
    expect(make().severity).toBe(expected);
  });
});

describe('orderings', () => {
  const higher = (a: ScoredFinding, b: ScoredFinding) => expect(a.score, `${a.scoreReasons.join('; ')}  vs  ${b.scoreReasons.join('; ')}`).toBeGreaterThan(b.score);

  it('a ghs_ installation token (short-lived) ranks below a ghp_ PAT in the same place', () => {
    higher(one('github-pat-classic', ['src/ci.ts']), one('github-server-to-server-token', ['src/ci.ts']));
  });

  it('a private key under fixtures/ ranks below the same key in deploy/', () => {
    higher(one('private-key-pem', ['deploy/server.key']), one('private-key-pem', ['test/fixtures/server.key']));
  });

  it('the same GitLab PAT in 4 files ranks above it in 1 file', () => {
    higher(one('gitlab-pat', ['a.env', 'b/ci.sh', 'c/config.yml', 'd/run.py']), one('gitlab-pat', ['a.env']));
  });

  it('a generic password= match ranks below every provider-specific key in the same file', () => {
    const generic = one('generic-secret-assignment', ['src/config.py']);
    for (const rule of rules.values()) {
      if (rule.credentialType.startsWith('generic') || rule.id === 'test-jwt') continue;
      higher(one(rule.id, ['src/config.py']), generic);
    }
  });

  it('an AWS key id paired with its secret in the same file ranks above a lone key id', () => {
    const [paired] = scored(finding('aws-access-key-id', ['config/aws.env']), finding('aws-secret-access-key', ['config/aws.env']));
    higher(paired!, one('aws-access-key-id', ['config/aws.env']));
    expect(paired!.pairedWith).toHaveLength(1);
    expect(scored(finding('aws-access-key-id', ['a.env']), finding('aws-secret-access-key', ['b.env']))[0]!.pairedWith).toEqual([]);
  });

  it('a short-lived AWS session key id (ASIA) ranks below a long-term one (AKIA)', () => {
    higher(one('aws-access-key-id', ['src/a.ts']), one('aws-temporary-access-key-id', ['src/a.ts']));
  });

  it('an encrypted private key ranks below an unencrypted one', () => {
    higher(one('private-key-pem', ['keys/a.pem']), one('private-key-encrypted', ['keys/a.pem']));
  });

  it('a key in docs/ ranks below the same key in src/', () => {
    higher(one('stripe-live-secret-key', ['src/pay.ts']), one('stripe-live-secret-key', ['docs/payments.md']));
  });

  it('a key in CI config ranks above the same key in src/', () => {
    higher(one('slack-bot-token', ['.circleci/config.yml']), one('slack-bot-token', ['src/notify.ts']));
  });

  it('a secret in 10 places ranks above one in 3, above one in 1', () => {
    const places = (n: number) => Array.from({ length: n }, (_, i) => `svc${i}/config.env`);
    higher(one('sendgrid-api-key', places(10)), one('sendgrid-api-key', places(3)));
    higher(one('sendgrid-api-key', places(3)), one('sendgrid-api-key', places(1)));
  });

  it('a Supabase-style service_role JWT ranks above an ordinary user JWT', () => {
    higher(one('test-jwt', ['src/db.ts'], { secret: jwt('service_role'), validated: ['jwt'] }), one('test-jwt', ['src/db.ts'], { secret: jwt(), validated: ['jwt'] }));
  });

  it('a JWT expiring within a day ranks below one valid for years', () => {
    const soon = faker.make('jwt'); // exp: iat + 1 hour, in 2026
    const [header, , signature] = soon.split('.');
    const claims = (exp: number) => Buffer.from(JSON.stringify({ sub: '1', exp })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const inAnHour = `${header}.${claims(now + 3600)}.${signature}`;
    const inYears = `${header}.${claims(now + 5 * 365 * 86400)}.${signature}`;
    higher(one('test-jwt', ['src/a.ts'], { secret: inYears, validated: ['jwt'] }), one('test-jwt', ['src/a.ts'], { secret: inAnHour, validated: ['jwt'] }));
  });

  it('a checksum-validated token ranks above the same unvalidated one, with high confidence', () => {
    const validated = one('github-pat-classic', ['src/a.ts'], { validated: ['github-checksum'] });
    higher(validated, one('github-pat-classic', ['src/a.ts']));
    expect(validated.confidence).toBe('high');
  });

  it('a live Stripe key ranks above a test one in the same place', () => {
    higher(one('stripe-live-secret-key', ['src/pay.ts']), one('stripe-test-secret-key', ['src/pay.ts']));
  });
});

describe('history, reasons and determinism', () => {
  it('scores a secret only in history like one still at HEAD: deleting it revokes nothing', () => {
    const historyOnly = scored({ ...finding('gitlab-pat', [{ path: 'ci.env', source: 'history', commit: 'c0ffee' }]), presentAtHead: false })[0]!;
    const atHead = one('gitlab-pat', ['ci.env']);
    expect(historyOnly.score).toBe(atHead.score);
    expect(historyOnly.scoreReasons).toContain('only in history: still valid until revoked +0');
  });

  it('regression: a CI misconfiguration HEAD no longer has is low, not scored as a live secret', () => {
    const place = { path: '.github/workflows/pr.yml', source: 'history' as const, commit: 'c0ffee' };
    const fixed = scored({ ...finding('ci-untrusted-checkout', [place], { secret: 'pull_request_target checks out the pull request head' }), presentAtHead: false })[0]!;
    const stillThere = scored({ ...finding('ci-untrusted-checkout', [place], { secret: 'pull_request_target checks out the pull request head' }), presentAtHead: true })[0]!;
    expect(stillThere.severity).toBe('high');
    expect(fixed.score).toBeLessThanOrEqual(30);
    expect(fixed.severity).toBe('low');
    expect(fixed.scoreReasons).toContain('only in history: fixed at HEAD, at most 30');
    expect(fixed.scoreReasons).not.toContain('only in history: still valid until revoked +0');
  });

  it('explains every point of the score', () => {
    const result = one('stripe-live-secret-key', ['.github/workflows/release.yml', 'src/a.ts', 'src/b.ts']);
    expect(result.scoreReasons).toEqual(['base: payment-live-key 70', 'privilege admin +15', 'long-lived +10', 'in CI config +10', '3 locations +5']);
    expect(result.score).toBe(100);
  });

  it('marks generic matches low confidence and gives the same score for the same input', () => {
    const a = one('generic-secret-assignment', ['src/x.py'], { secret: 'dummy-value-1' });
    const b = one('generic-secret-assignment', ['src/x.py'], { secret: 'dummy-value-1' });
    expect(a.confidence).toBe('low');
    expect(a).toEqual(b);
  });

  it.each([
    [95, 'critical'],
    [90, 'critical'],
    [89, 'high'],
    [70, 'high'],
    [40, 'medium'],
    [10, 'low'],
    [9, 'info'],
  ])('score %i is %s', (score, severity) => {
    expect(severityOf(score)).toBe(severity);
  });
});
