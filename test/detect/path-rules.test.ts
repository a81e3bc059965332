import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePathRule, gitBlobId, PathRules } from '../../src/detect/path-rules.js';
import { builtinRulesDir, compilePathRules, loadRuleSource, RuleLoadError, ruleFromObject } from '../../src/rules/load.js';
import { scan } from '../../src/scan.js';
import { tempTree } from '../helpers/tmp.js';

const builtin = (await loadRuleSource(builtinRulesDir(), { builtin: true })).filter((rule) => rule.path !== undefined);
/** A rule object through the loader, as a rule file's entry would go. */
const rule = (fields: Record<string, unknown>, builtin = true) => ruleFromObject(fields, 'test', builtin);
const TAXONOMY_TYPES = ['private-key', 'password-hash'];

/** Binary content with a NUL in its first bytes, as JKS (FE ED FE ED) and DER (30 82 ..) files have. */
function keyStoreBytes(): Buffer {
  return Buffer.concat([Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0x00, 0x00, 0x00, 0x02]), randomBytes(1200)]);
}

describe('built-in path rules', () => {
  it('cover Java key stores, PKCS#12, GnuPG secret keyrings and KeePass databases', () => {
    expect(builtin.map((rule) => rule.id).sort()).toEqual(['keepass-database', 'keystore-gnupg-secret-keyring', 'keystore-java', 'keystore-pkcs12']);
  });

  describe.each(builtin.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
    const rules = new PathRules([compilePathRule(rule)]);

    it('has complete metadata and lives in a file named after its provider', () => {
      expect(basename(rule.origin).replace(/\.ya?ml$/, '')).toBe(rule.provider);
      expect(TAXONOMY_TYPES).toContain(rule.credentialType);
      expect(rule.lifetime).toBe('long-lived');
      expect(rule.pattern).toBe('');
      expect(rule.remediation.length).toBeGreaterThan(30);
      for (const reference of rule.references) expect(reference).toMatch(/^https:\/\//);
      expect(rule.examples.length).toBeGreaterThan(1);
      expect(rule.negativeExamples.length).toBeGreaterThan(1);
    });

    it('matches every example path and none of its negative examples', () => {
      for (const path of rule.examples) expect(rules.wants(path), path).toBe(true);
      for (const path of rule.negativeExamples) expect(rules.wants(path), path).toBe(false);
    });
  });
});

describe('PathRules.detect', () => {
  const rules = new PathRules([compilePathRule(rule({ id: 'acme-store', path: '(?i)\\.acmestore$' }))]);

  it('reports the file at 1:1 with its Git blob id as the secret, as `git hash-object` computes it', async () => {
    const bytes = keyStoreBytes();
    const root = await tempTree({ 'a.acmestore': bytes });
    const expected = execFileSync('git', ['hash-object', join(root, 'a.acmestore')], { encoding: 'utf8' }).trim();
    expect(gitBlobId(bytes)).toBe(expected);
    const [candidate, ...rest] = rules.detect({ path: 'keys/A.ACMESTORE', source: 'worktree' }, bytes);
    expect(rest).toEqual([]);
    expect(candidate).toMatchObject({ ruleId: 'acme-store', secret: `blob:${expected}`, line: 1, column: 1, endLine: 1, endColumn: 1, lineText: '' });
  });

  it('reports nothing for an empty file or a path no rule names', () => {
    expect(rules.detect({ path: 'keep.acmestore', source: 'worktree' }, new Uint8Array())).toEqual([]);
    expect(rules.detect({ path: 'acmestore.txt', source: 'worktree' }, keyStoreBytes())).toEqual([]);
  });
});

describe('path rules in rule files', () => {
  it('run user path rules on the linear-time engine', async () => {
    const rules = await compilePathRules([rule({ id: 'vpn-profile', path: '(?i)(?:^|/)[^/]+\\.ovpn$' }, false)]);
    expect(rules.rules[0]!.pattern.engine).toBe('re2js');
    expect(rules.wants('vpn/office.OVPN')).toBe(true);
    expect(rules.wants('vpn/office.ovpn.bak')).toBe(false);
  });

  it('refuse content settings on a path rule, and a rule with neither pattern nor path', () => {
    expect(() => rule({ id: 'mixed', path: '\\.jks$', keywords: ['jks'] })).toThrow(/"keywords" applies to content rules only/);
    expect(() => rule({ id: 'both', path: '\\.jks$', pattern: 'x' })).toThrow(RuleLoadError);
    expect(() => rule({ id: 'neither' })).toThrow(/missing key "pattern"/);
  });

  it('refuse a path that is not RE2 syntax', async () => {
    await expect(compilePathRules([rule({ id: 'bad', path: '(?<=/)x\\.jks$' }, false)])).rejects.toThrow(/rule "bad": path does not compile/);
  });
});

describe('scanning a tree with key stores', () => {
  it('reports binary key stores by name, the same store in two places as one finding', async () => {
    const store = keyStoreBytes();
    const root = await tempTree({
      'android/app/release.jks': store,
      'backup/release-copy.jks': store,
      'certs/client.p12': keyStoreBytes(),
      'src/main/resources/truststore.jks': keyStoreBytes(),
      'android/app/debug.keystore': keyStoreBytes(),
      // A KDBX 4 signature and version, whose NUL bytes make it binary on every run (random bytes alone
      // held no NUL one run in seven, and the count below then came out one short).
      'ops/vault.kdbx': Buffer.concat([Buffer.from([0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5, 0x01, 0x00, 0x04, 0x00]), randomBytes(500)]),
      'empty.pfx': '',
      'README.md': 'Nothing to see here.\n',
    });
    const result = await scan({ kind: 'worktree', cwd: root });
    const byRule = Object.fromEntries(result.findings.map((f) => [f.rule.id, f]));
    expect(Object.keys(byRule).sort()).toEqual(['keepass-database', 'keystore-java', 'keystore-pkcs12']);
    expect(byRule['keystore-java']!.occurrences.map((o) => `${o.path}:${o.line}:${o.column}`)).toEqual(['android/app/release.jks:1:1', 'backup/release-copy.jks:1:1']);
    expect(byRule['keystore-java']!.secret).toBe(`blob:${gitBlobId(store)}`);
    expect(byRule['keystore-java']!.severity).toMatch(/^(critical|high)$/);
    expect(byRule['keepass-database']!.severity).toBe('medium');
    // Key stores stay counted as skipped binaries: their text was never scanned.
    expect(result.stats.skipped.binary).toBe(6);
    expect(result.stats.filesScanned).toBe(2);
  });

  it('still reports a key store whose extension the walker skips unread, and none from `secretscan ci`', async () => {
    const root = await tempTree({ 'signing/app.jks': keyStoreBytes(), '.github/workflows/ci.yml': 'on: push\njobs: {}\n' });
    const rules = `rules:\n  - id: zip-keystore\n    path: '\\.zip$'\n    credentialType: private-key\n`;
    await writeFile(join(root, 'rules.yml'), rules);
    await writeFile(join(root, 'signing/keys.zip'), keyStoreBytes());
    const result = await scan({ kind: 'worktree', cwd: root, rulePaths: ['rules.yml'] });
    expect(result.findings.map((f) => f.rule.id).sort()).toEqual(['keystore-java', 'zip-keystore']);
    const ci = await scan({ kind: 'ci', cwd: root, rulePaths: ['rules.yml'] });
    expect(ci.findings.filter((f) => f.rule.path !== undefined)).toEqual([]);
  });
});
