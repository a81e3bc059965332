/**
 * `startsNearKeyword` is a promise a rule makes: every match starts at most that many characters before
 * one of its keywords, so the detector tries the pattern only there instead of over a window. A broken
 * promise loses findings silently, so each rule that makes it is run both ways over its own examples,
 * its negative examples and a generated accuracy corpus (every rule's secrets and look-alikes in many
 * file kinds), and the two must find the same spans.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/accuracy/corpus.js';
import { Detector } from '../../src/detect/detector.js';
import { builtinRulesDir, compileRules, loadRuleSource } from '../../src/rules/load.js';
import type { RuleSpec } from '../../src/types.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree } from '../helpers/tmp.js';

const rules = await loadRuleSource(builtinRulesDir(), { builtin: true });
const anchored = rules.filter((rule) => rule.startsNearKeyword !== undefined);

function spans(detector: Detector, text: string): string[] {
  return detector
    .detect({ origin: { path: 'x', source: 'worktree' }, text, noDecode: true })
    .map((candidate) => `${candidate.ruleId}@${candidate.start}-${candidate.end}`)
    .sort();
}

function withoutPromise(rule: RuleSpec): RuleSpec {
  const { startsNearKeyword: _promise, ...windowed } = rule;
  return windowed;
}

const corpusDir = await tempTree();
generateCorpus(corpusDir, rules, { seed: 7, perRule: 4 });
function* corpusTexts(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* corpusTexts(path);
    else yield readFileSync(path, 'latin1');
  }
}
const corpus = [...corpusTexts(corpusDir)];

describe('rules that promise their matches start near a keyword', () => {
  it('include the expensive generic family', () => {
    expect(anchored.map((rule) => rule.id)).toEqual(expect.arrayContaining(['generic-secret-assignment', 'generic-password-assignment']));
  });

  describe.each(anchored.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
    it('finds the same spans anchored as over windows, on examples, negatives and the corpus', async () => {
      const near = new Detector(await compileRules([rule]));
      const windowed = new Detector(await compileRules([withoutPromise(rule)]));
      const faker = createFaker(41);
      const texts = [...rule.examples, ...rule.negativeExamples].map((example) => faker.expand(example).text);
      texts.push(...corpus);
      let found = 0;
      for (const text of texts) {
        const expected = spans(windowed, text);
        found += expected.length;
        expect(spans(near, text), text.slice(0, 200)).toEqual(expected);
      }
      // The comparison means something only if the windowed rule found things.
      expect(found).toBeGreaterThan(0);
    });
  });
});
