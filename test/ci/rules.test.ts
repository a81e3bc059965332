/**
 * src/ci/rules.ts: the checks' metadata is whole and consistent. Each check is a RuleSpec the rules
 * command and SARIF can list; its taxonomy values are real credential types and score to the severity it
 * declares in a CI file; every rule id the code emits is declared; every platform fix is reachable; and no
 * remediation text holds anything a detector would report.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CI_CHECKS, ciRemediation, ciRuleSpecs, PLATFORM_NAMES, type CiPlatform } from '../../src/ci/index.js';
import { Detector } from '../../src/detect/detector.js';
import { builtinRulesDir, compileRules, loadRuleSource } from '../../src/rules/load.js';
import { score } from '../../src/score/score.js';
import type { Finding } from '../../src/types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const specs = ciRuleSpecs();

/** The credential taxonomy, as rules/README.md documents it. */
const CREDENTIAL_TYPES = [...readFileSync(join(ROOT, 'rules/README.md'), 'utf8').matchAll(/^\| `([a-z-]+)` \|/gm)].map((match) => match[1]);

describe('ciRuleSpecs', () => {
  it('has one rule per check, with unique stable ids', () => {
    expect(specs.map((spec) => spec.id)).toEqual(CI_CHECKS.map((check) => check.id));
    expect(new Set(specs.map((spec) => spec.id)).size).toBe(specs.length);
    for (const spec of specs) expect(spec.id).toMatch(/^(?:ci|mcp)-[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it.each(specs)('$id is a whole built-in rule without a pattern', (spec) => {
    expect(spec).toMatchObject({ pattern: '', keywords: [], secretGroup: 0, validators: [], stopwords: [], multiline: false, builtin: true, origin: 'src/ci' });
    expect(spec.name.length).toBeGreaterThan(10);
    expect(spec.description.length).toBeGreaterThan(40);
    expect(spec.remediation.length).toBeGreaterThan(40);
    expect(spec.references.length).toBeGreaterThan(0);
    for (const reference of spec.references) expect(reference).toMatch(/^https:\/\//);
    expect(CREDENTIAL_TYPES).toContain(spec.credentialType);
    expect(spec.help).toContain(spec.remediation);
  });
});

describe('severity', () => {
  /** A finding of `ruleId` at one place that is not a test or docs path. */
  function findingAt(ruleId: string, path: string): Finding {
    const rule = specs.find((spec) => spec.id === ruleId)!;
    return {
      id: 'x',
      rule,
      secret: 'descriptor',
      secretHash: 'sha256:x',
      validated: [],
      entropy: 0,
      occurrences: [{ path, line: 1, column: 1, endLine: 1, endColumn: 2, source: 'ci' }],
      lineTexts: [''],
    };
  }

  it.each(CI_CHECKS.map((check) => [check.id, check.severity, check.provider === 'mcp' ? '.mcp.json' : '.github/workflows/release.yml'] as const))(
    '%s scores %s in %s',
    (ruleId, severity, path) => {
      expect(score(findingAt(ruleId, path)).severity).toBe(severity);
    },
  );
});

describe('remediation', () => {
  it.each(CI_CHECKS.flatMap((check) => Object.keys(check.fixes).map((platform) => [check.id, platform as CiPlatform] as const)))('%s has a fix for %s', (ruleId, platform) => {
    const check = CI_CHECKS.find((candidate) => candidate.id === ruleId)!;
    expect(check.platforms).toContain(platform);
    const text = ciRemediation(ruleId, platform)!;
    expect(text).toContain(check.remediation);
    expect(text).toContain(`${PLATFORM_NAMES[platform]}:\n${check.fixes[platform]}`);
  });

  it('falls back to the general advice where a platform has no fix of its own', () => {
    expect(ciRemediation('ci-untrusted-checkout', 'gitlab')).toBe(CI_CHECKS.find((check) => check.id === 'ci-untrusted-checkout')!.remediation);
    expect(ciRemediation('no-such-check')).toBeUndefined();
  });

  it('holds nothing the detectors report', async () => {
    const detector = new Detector(await compileRules(await loadRuleSource(builtinRulesDir(), { builtin: true })));
    for (const spec of specs) {
      expect(detector.detect({ origin: { path: 'src/ci/rules.ts', source: 'worktree' }, text: spec.help }).map((candidate) => candidate.ruleId), spec.id).toEqual([]);
    }
  });
});

describe('rule ids in the code', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
    });
  }

  it('are all declared', () => {
    const ids = new Set(CI_CHECKS.map((check) => check.id));
    const used = new Set<string>();
    for (const file of sources(join(ROOT, 'src/ci'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bruleId: '([a-z0-9-]+)'|\bRULE = '([a-z0-9-]+)'/g)) used.add(match[1] ?? match[2]!);
    }
    expect(used.size).toBeGreaterThan(10);
    for (const id of used) expect(ids, id).toContain(id);
  });
});
