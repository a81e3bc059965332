import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import {
  applyBaseline,
  BaselineError,
  parseBaseline,
  readBaseline,
  renderBaseline,
  subjectOf,
  updateBaseline,
  writeBaseline,
  type Baseline,
  type BaselineEntry,
} from '../../src/suppress/baseline.js';
import type { ScoredFinding } from '../../src/types.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { tempTree } from '../helpers/tmp.js';

const faker = createFaker(77);
const [KEY_A, KEY_B, KEY_C] = [1, 2, 3].map(() => `acme_${faker.make('alnum:16')}`) as [string, string, string];
const RULES = `rules:
  - id: acme-key
    name: Acme API key
    provider: acme
    credentialType: saas-api-key
    privilege: high
    keywords: [acme_]
    pattern: '\\b(acme_[A-Za-z0-9]{16})\\b'
    entropy: 3
`;
const TODAY = '2026-03-15';

async function findingsIn(files: Record<string, string>): Promise<ScoredFinding[]> {
  const root = await tempTree({ 'rules/acme.yml': RULES, ...files });
  return (await scan({ kind: 'worktree', cwd: root, rulePaths: ['rules'] })).findings;
}

function baselineOf(findings: ScoredFinding[], extra: Partial<Record<string, Partial<BaselineEntry>>> = {}): Baseline {
  const { baseline } = updateBaseline(new Map(), findings.map(subjectOf));
  return new Map([...baseline].map(([id, entry]) => [id, { ...entry, ...extra[id] }]));
}

describe('applyBaseline: what is new and what is known', () => {
  it('suppresses a known secret, and counts its occurrences', async () => {
    const before = await findingsIn({ 'src/app.ts': `const key = "${KEY_A}";\n`, 'deploy/.env': `ACME=${KEY_A}\n` });
    const outcome = applyBaseline(before, baselineOf(before), TODAY);
    expect(outcome.kept).toEqual([]);
    expect(outcome.suppressedOccurrences).toBe(2);
    expect(outcome.known).toEqual([{ id: before[0]!.id, ruleId: 'acme-key', paths: ['deploy/.env', 'src/app.ts'] }]);
  });

  it('keeps a moved or reformatted secret known: other file, other line, other quoting', async () => {
    const baseline = baselineOf(await findingsIn({ 'src/app.ts': `const key = "${KEY_A}";\n` }));
    const moved = await findingsIn({
      'lib/client.py': `\n\n# moved here\nclient = Acme(\n    key='${KEY_A}',\n)\n`,
      'src/app.ts': '// the key now lives in lib/client.py\n',
    });
    expect(moved[0]!.occurrences[0]).toMatchObject({ path: 'lib/client.py', line: 5 });
    expect(applyBaseline(moved, baseline, TODAY).kept).toEqual([]);
  });

  it('reports a different secret on the same line as new', async () => {
    const baseline = baselineOf(await findingsIn({ 'src/app.ts': `const key = "${KEY_A}";\n` }));
    const changed = await findingsIn({ 'src/app.ts': `const key = "${KEY_B}";\n` });
    const outcome = applyBaseline(changed, baseline, TODAY);
    expect(outcome.kept.map((f) => f.secret)).toEqual([KEY_B]);
    expect(outcome.suppressedOccurrences).toBe(0);
  });

  it.each([
    ['the day before it expires', '2026-03-16', false],
    ['the day it expires', '2026-03-15', true],
    ['after it expired', '2026-01-01', true],
  ])('%s an entry %s', async (_when, expires, reported) => {
    const findings = await findingsIn({ 'src/app.ts': `k = "${KEY_A}"\n` });
    const id = findings[0]!.id;
    const outcome = applyBaseline(findings, baselineOf(findings, { [id]: { expires, reason: 'rotation booked' } }), TODAY);
    expect(outcome.kept.length).toBe(reported ? 1 : 0);
    expect(outcome.expired.map((e) => e.entry.id)).toEqual(reported ? [id] : []);
    if (reported) expect(outcome.expired[0]!.message).toBe(`baseline entry ${id} (acme-key, src/app.ts) expired on ${expires}: the finding is reported again; fix it, or move "expires" in .secretscan-baseline.json`);
  });
});

describe('updateBaseline (--update-baseline, secretscan baseline)', () => {
  it('adds new findings, prunes entries no longer found, and keeps reasons, expiry and paths', async () => {
    const first = await findingsIn({ 'src/a.ts': `a = "${KEY_A}"\n`, 'src/b.ts': `b = "${KEY_B}"\n` });
    const [idA, idB] = [KEY_A, KEY_B].map((key) => first.find((f) => f.secret === key)!.id) as [string, string];
    const previous = baselineOf(first, { [idA]: { reason: 'test account, no access', expires: '2027-01-01' } });

    // B was removed and revoked; C is new; A is still there, and also copied to another file.
    const second = await findingsIn({ 'src/a.ts': `a = "${KEY_A}"\n`, 'src/z.ts': `a = "${KEY_A}"\n`, 'src/c.ts': `c = "${KEY_C}"\n` });
    const idC = second.find((f) => f.secret === KEY_C)!.id;
    const update = updateBaseline(previous, second.map(subjectOf));
    expect(update.added).toEqual([idC]);
    expect(update.pruned).toEqual([idB]);
    expect(update.unchanged).toBe(1);
    expect(update.baseline.get(idA)).toEqual({ id: idA, ruleId: 'acme-key', path: 'src/a.ts', reason: 'test account, no access', expires: '2027-01-01' });
    expect(update.baseline.get(idC)).toEqual({ id: idC, ruleId: 'acme-key', path: 'src/c.ts' });
  });

  it('moves an entry\u2019s path only when the finding is no longer there', async () => {
    const first = await findingsIn({ 'src/a.ts': `a = "${KEY_A}"\n` });
    const moved = await findingsIn({ 'lib/new-home.ts': `a = "${KEY_A}"\n` });
    const { baseline } = updateBaseline(baselineOf(first), moved.map(subjectOf));
    expect([...baseline.values()].map((e) => e.path)).toEqual(['lib/new-home.ts']);
  });

  it('counts known findings too, so a scan that applied the baseline can update it', async () => {
    const findings = await findingsIn({ 'src/a.ts': `a = "${KEY_A}"\n`, 'src/b.ts': `b = "${KEY_B}"\n` });
    const previous = baselineOf(findings.filter((f) => f.secret === KEY_A));
    const outcome = applyBaseline(findings, previous, TODAY);
    const update = updateBaseline(previous, [...outcome.kept.map(subjectOf), ...outcome.known]);
    expect(update.pruned).toEqual([]);
    expect(update.added).toHaveLength(1);
  });
});

describe('the baseline file', () => {
  const ids = ['0'.repeat(31) + '1', 'a'.repeat(32), '7'.repeat(32)];

  it('is sorted, one line per entry, each ending in a comma, and holds no secret or line number', async () => {
    const findings = await findingsIn({ 'src/app.ts': `const a = "${KEY_A}";\nconst b = "${KEY_B}";\n` });
    const text = renderBaseline(baselineOf(findings, { [findings[0]!.id]: { reason: 'fixture "quoted"', expires: '2026-12-31' } }));
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('{');
    expect(lines.at(-1)).toBe('}');
    const entries = lines.slice(1, -2);
    expect(entries).toHaveLength(2);
    expect(entries).toEqual([...entries].sort());
    for (const line of entries) expect(line).toMatch(/^ {2}"[0-9a-f]{32}": \{ "ruleId": "acme-key", "path": "src\/app\.ts"(, "reason": "[^\n]*", "expires": "2026-12-31")? \},$/);
    expect(lines.at(-2)).toMatch(/^ {2}"\$secretscan": \{ "baseline": 1, /);
    for (const key of [KEY_A, KEY_B]) expect(text).not.toContain(key.slice(5, 17));
    expect(text).not.toMatch(/"line"|"column"/);
    expect(parseBaseline(text, 'b.json')).toEqual(baselineOf(findings, { [findings[0]!.id]: { reason: 'fixture "quoted"', expires: '2026-12-31' } }));
  });

  it('writes and reads back; a missing file reads as undefined', async () => {
    const dir = await tempTree();
    const baseline = new Map(ids.map((id) => [id, { id, ruleId: 'acme-key', path: `src/${id[0]}.ts` }]));
    await writeBaseline(join(dir, '.secretscan-baseline.json'), baseline);
    expect(await readBaseline(join(dir, '.secretscan-baseline.json'))).toEqual(baseline);
    expect(await readBaseline(join(dir, 'nope.json'))).toBeUndefined();
  });

  it.each([
    ['a merge conflict left in it', `{\n<<<<<<< HEAD\n  "${ids[0]}": { "ruleId": "x", "path": "a" },\n=======\n>>>>>>> other\n  "$secretscan": { "baseline": 1 }\n}\n`, /^b\.json: not valid JSON \(.*\); resolve any merge conflict in it, or delete it and run "secretscan baseline"/],
    ['a misspelt key', `{ "${ids[0]}": { "ruleId": "x", "path": "a", "expire": "2026-01-01" }, "$secretscan": { "baseline": 1 } }`, /^b\.json: entry "0+1": unknown key "expire" \(allowed: ruleId, path, reason, expires\)/],
    ['a bad date', `{ "${ids[0]}": { "ruleId": "x", "path": "a", "expires": "2026-02-30" }, "$secretscan": { "baseline": 1 } }`, /"expires" must be a date as YYYY-MM-DD, got "2026-02-30"/],
    ['a key that is not a finding id', `{ "ghp_notanid": { "ruleId": "x", "path": "a" }, "$secretscan": { "baseline": 1 } }`, /keys are finding ids \(32 lower-case hex characters/],
    ['a newer format', `{ "$secretscan": { "baseline": 2 } }`, /baseline format 2 is not one this secretscan reads \(1\); upgrade secretscan/],
  ])('is rejected with one line naming the file for %s', (_name, text, message) => {
    expect(() => parseBaseline(text, 'b.json')).toThrow(BaselineError);
    expect(() => parseBaseline(text, 'b.json')).toThrow(message);
  });

  it('reads a repeated entry (after a union merge) without losing either version', () => {
    const id = ids[0]!;
    const text = `{\n  "${id}": { "ruleId": "acme-key", "path": "a.ts", "reason": "ours" },\n  "${id}": { "ruleId": "acme-key", "path": "a.ts", "expires": "2027-01-01" },\n  "$secretscan": { "baseline": 1 }\n}\n`;
    expect(parseBaseline(text, 'b.json').get(id)).toEqual({ id, ruleId: 'acme-key', path: 'a.ts', reason: 'ours', expires: '2027-01-01' });
  });
});

describe('merging the baseline file with git', () => {
  const entry = (id: string) => ({ id, ruleId: 'acme-key', path: `src/${id.slice(0, 4)}.ts` });
  const file = (...idList: string[]) => renderBaseline(new Map(idList.map((id) => [id, entry(id)])));
  const hex = (digit: string) => digit.repeat(32);

  function git(dir: string, ...args: string[]) {
    return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' } });
  }

  /** A repository where two branches each add one entry to `base`; returns whether `git merge` succeeded. */
  async function mergeBranches(base: string[], ours: string, theirs: string, attributes?: string) {
    const dir = await tempTree(attributes ? { '.gitattributes': attributes } : {});
    git(dir, 'init', '-q', '-b', 'main');
    await writeFile(join(dir, '.secretscan-baseline.json'), file(...base));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'baseline');
    git(dir, 'checkout', '-q', '-b', 'feature');
    await writeFile(join(dir, '.secretscan-baseline.json'), file(...base, theirs));
    git(dir, 'commit', '-q', '-am', 'theirs');
    git(dir, 'checkout', '-q', 'main');
    await writeFile(join(dir, '.secretscan-baseline.json'), file(...base, ours));
    git(dir, 'commit', '-q', '-am', 'ours');
    const merge = spawnSync('git', ['merge', '-q', '--no-edit', 'feature'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' } });
    const merged = await readFile(join(dir, '.secretscan-baseline.json'), 'utf8');
    return { clean: merge.status === 0, merged };
  }

  it.each([
    ['far apart', [hex('2'), hex('5'), hex('8')], hex('3'), hex('9')],
    ['in neighbouring gaps', [hex('2'), hex('5'), hex('8')], hex('4'), hex('6')],
    ['one of them after the last entry', [hex('2'), hex('5')], hex('3'), hex('9')],
  ])('merges two branches adding different entries %s without a conflict', async (_how, base, ours, theirs) => {
    const { clean, merged } = await mergeBranches(base, ours, theirs);
    expect(clean).toBe(true);
    expect([...parseBaseline(merged, 'merged').keys()].sort()).toEqual([...base, ours, theirs].sort());
    expect(merged).toBe(file(...base, ours, theirs));
  });

  it('merges entries added in the same place with the merge=union attribute that secretscan init writes', async () => {
    // Without it, two insertions between the same two lines are a conflict for any line-based merge.
    expect((await mergeBranches([hex('2')], hex('4'), hex('6'))).clean).toBe(false);
    const sameGap = await mergeBranches([hex('2')], hex('4'), hex('6'), '.secretscan-baseline.json merge=union\n');
    expect(sameGap.clean).toBe(true);
    expect([...parseBaseline(sameGap.merged, 'merged').keys()].sort()).toEqual([hex('2'), hex('4'), hex('6')]);
  });
});
