/**
 * One tester for every built-in rule (ESLint's RuleTester, Nosey Parker's self-testing rules): each
 * rule's examples must match with the right secret, its negative examples must not, its pattern must be
 * RE2 syntax (checked by re2-wasm) and stay fast on adversarial input, and its metadata must be whole.
 */
import { basename } from 'node:path';
import { RE2 } from 're2-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { builtinRulesDir, compileRules, loadRuleSource } from '../../src/rules/load.js';
import type { RuleSpec } from '../../src/types.js';
import { createFaker, FAKE_MARKER } from '../helpers/fake-secrets.js';

// Path rules (a file's name, not its text) have their own tester: test/detect/path-rules.test.ts.
const rules = (await loadRuleSource(builtinRulesDir(), { builtin: true })).filter((rule) => rule.path === undefined);
/** The credential taxonomy; scoring weighs each type (src/score/). rules/README.md describes them. */
const CREDENTIAL_TYPES = [
  'cloud-iam-key',
  'cloud-session-token',
  'cloud-api-token',
  'scm-token',
  'ci-token',
  'secrets-manager-token',
  'package-publish-token',
  'payment-live-key',
  'payment-test-key',
  'messaging-bot-token',
  'incoming-webhook',
  'ai-provider-key',
  'database-credential',
  'private-key',
  'signing-secret',
  'oauth-client-secret',
  'observability-key',
  'saas-api-key',
  'api-key',
  'session-token',
  'password-hash',
  'generic-secret',
  'generic-password',
];

let single: Map<string, Detector>;
let everything: Detector;

beforeAll(async () => {
  single = new Map();
  for (const rule of rules) single.set(rule.id, new Detector(await compileRules([rule])));
  everything = new Detector(await compileRules(rules));
});

function detect(detector: Detector, text: string) {
  return detector.detect({ origin: { path: 'example.txt', source: 'worktree' }, text });
}

describe('built-in rules', () => {
  it('are at least 30, with unique ids', () => {
    expect(rules.length).toBeGreaterThanOrEqual(30);
    const ids = rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('live one provider per file, in a file named after the provider', () => {
    for (const rule of rules) expect(basename(rule.origin).replace(/\.ya?ml$/, '')).toBe(rule.provider);
  });

  describe.each(rules.map((rule) => [rule.id, rule] as const))('%s', (_id, rule: RuleSpec) => {
    it('has complete metadata', () => {
      expect(rule.name.length).toBeGreaterThan(3);
      expect(CREDENTIAL_TYPES).toContain(rule.credentialType);
      expect(rule.keywords.length).toBeGreaterThan(0);
      for (const keyword of rule.keywords) expect(keyword).toBe(keyword.toLowerCase());
      expect(rule.remediation.length).toBeGreaterThan(30);
      expect(rule.references.length).toBeGreaterThan(0);
      for (const reference of rule.references) expect(reference).toMatch(/^https:\/\//);
      expect(rule.examples.length).toBeGreaterThan(0);
      expect(rule.negativeExamples.length).toBeGreaterThanOrEqual(2);
    });

    it('is RE2 syntax (re2-wasm compiles it)', () => {
      const regex = new RE2(rule.pattern, 'u');
      // re2-wasm never frees its regexes on its own (perf-probe §2.1); release this one.
      (regex as unknown as { wrapper?: { delete?: () => void } }).wrapper?.delete?.();
    });

    it('matches every example, reporting the planted value as the secret', () => {
      rule.examples.forEach((example, index) => {
        const { text, secrets } = createFaker(1000 + index).expand(example);
        const found = detect(single.get(rule.id)!, text);
        expect(found.length, `example ${index + 1} of ${rule.id} did not match: ${JSON.stringify(example)}`).toBeGreaterThan(0);
        if (secrets.length > 0) {
          expect(found.some((candidate) => candidate.secret.includes(secrets[0]!)), `secret of example ${index + 1}`).toBe(true);
        }
        // The full rule set finds it too (no other rule's window logic interferes).
        expect(detect(everything, text).some((candidate) => candidate.ruleId === rule.id)).toBe(true);
      });
    });

    it('does not match its negative examples', () => {
      for (const negative of rule.negativeExamples) {
        const { text } = createFaker(7).expand(negative);
        expect(detect(single.get(rule.id)!, text).map((c) => c.secret), JSON.stringify(negative)).toEqual([]);
      }
    });

    it('does not match its own remediation or references', () => {
      const text = [rule.remediation, ...rule.references].join('\n');
      expect(detect(single.get(rule.id)!, text)).toEqual([]);
    });

    it('stays fast on adversarial input (long runs of what the pattern repeats)', () => {
      const runs = ['a', 'A1', '0', 'f', '-', '_', '.', '/', '+', '=', ' ', '"', "'", ':', '\n', 'aA0_-', '= "', 'A'];
      let slowest = 0;
      for (const keyword of rule.keywords) {
        for (const unit of runs) {
          const text = `${keyword}${unit.repeat(Math.ceil(20_000 / unit.length))}`;
          const started = performance.now();
          detect(single.get(rule.id)!, text);
          detect(single.get(rule.id)!, `${keyword}${unit}`.repeat(Math.ceil(20_000 / (keyword.length + unit.length))));
          slowest = Math.max(slowest, performance.now() - started);
        }
      }
      // Linear rules take well under 20 ms here; exponential ones take seconds.
      expect(slowest).toBeLessThan(500);
    });
  });

  it('use placeholders, not secret-shaped literals, in positive examples', () => {
    for (const rule of rules) {
      for (const example of rule.examples) {
        const withoutMarkers = example.replace(FAKE_MARKER, '');
        expect(detect(single.get(rule.id)!, withoutMarkers), `${rule.id}: ${example}`).toEqual([]);
      }
    }
  });
});
