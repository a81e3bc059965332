import { beforeAll, describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { builtinRulesDir, compileRules, loadRuleSource } from '../../src/rules/load.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { testRule } from '../helpers/rules.js';

let builtin: Detector;
beforeAll(async () => {
  builtin = new Detector(await compileRules(await loadRuleSource(builtinRulesDir(), { builtin: true })));
});

function rulesFound(detector: Detector, text: string): string[] {
  return detector.detect({ origin: { path: 'deploy.sh', source: 'worktree' }, text }).map((candidate) => candidate.ruleId).sort();
}

describe('generality: the most specific rule names a secret', () => {
  const faker = createFaker(21);

  it('a provider token in an Authorization header is the provider\u2019s, not a bearer token', () => {
    expect(rulesFound(builtin, `curl -H "Authorization: Bearer ${faker.make('github:ghp')}" https://api.github.com/user`)).toEqual(['github-pat-classic']);
  });

  it('a JWT in an Authorization header is a JWT, and a Supabase service key is Supabase\u2019s', () => {
    expect(rulesFound(builtin, `Authorization: Bearer ${faker.make('jwt')}`)).toEqual(['jwt-token']);
    expect(rulesFound(builtin, `SUPABASE_SERVICE_ROLE_KEY=${faker.make('jwt:service_role')}`)).toEqual(['supabase-service-role-key']);
    expect(rulesFound(builtin, `curl -H "Authorization: Bearer ${faker.make('jwt:service_role')}" https://x.supabase.co/rest/v1/`)).toEqual(['supabase-service-role-key']);
  });

  it('a token inside Basic credentials is the provider’s, found by decoding; a plain password stays a Basic credential', () => {
    const token = faker.make('github:ghp');
    const found = builtin.detect({ origin: { path: '.gitconfig', source: 'worktree' }, text: `[http]\n\textraheader = AUTHORIZATION: basic ${Buffer.from(`ci:${token}`).toString('base64')}\n` });
    expect(found.map((candidate) => [candidate.ruleId, candidate.secret, candidate.decoded])).toEqual([['github-pat-classic', token, 'base64']]);
    expect(rulesFound(builtin, `curl -H "Authorization: Basic ${faker.make('basic-auth:deploy')}" https://api.acme.io/v1/orders`)).toEqual(['http-basic-auth-header']);
  });

  it('an opaque bearer token is still reported by the header rule', () => {
    expect(rulesFound(builtin, `Authorization: Bearer ${faker.make('alnum:40')}`)).toEqual(['http-bearer-token']);
  });

  it('is read from rule files: a rule yields only to an overlapping rule of lower generality', async () => {
    const rules = await compileRules([
      testRule({ id: 'acme-key', credentialType: 'api-key', keywords: ['acme_'], pattern: '(acme_[a-z0-9]{12})' }),
      testRule({ id: 'any-format', credentialType: 'api-key', keywords: ['acme_', 'beta_'], pattern: '([a-z]{4}_[a-z0-9]{12})', generality: 1 }),
      testRule({ id: 'by-context', credentialType: 'api-key', keywords: ['key='], pattern: 'key=([a-z_0-9]{17})', generality: 2 }),
    ]);
    const detector = new Detector(rules);
    expect(rulesFound(detector, 'key=acme_0a1b2c3d4e5f')).toEqual(['acme-key']);
    expect(rulesFound(detector, 'key=beta_0a1b2c3d4e5f')).toEqual(['any-format']);
    expect(rulesFound(detector, 'key=gamm_0a1b2c3d4e5f')).toEqual(['by-context']);
    // Equal generality: neither is more specific, both are reported.
    const peers = new Detector(await compileRules([rules[1]!.spec, { ...rules[2]!.spec, generality: 1 }]));
    expect(rulesFound(peers, 'key=beta_0a1b2c3d4e5f')).toEqual(['any-format', 'by-context']);
  });
});
