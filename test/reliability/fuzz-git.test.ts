/**
 * Fuzzing the history parser (PatchParser, src/sources/git-native.ts: it reads `git log -p -U0 --cc`
 * line by line, issue #8). Two kinds of input: patches generated from a model (commits, files with odd
 * names, hunks), whose added lines the parser must return exactly, at the right line numbers; and
 * adversarial text (random bytes, broken headers, hunk counts that lie), on which it must never throw,
 * must produce only well-formed chunks, and must take time linear in the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PatchParser, unquote } from '../../src/sources/git-native.js';
import { newGitReport, type HistoryChunk } from '../../src/sources/git.js';
import { fcParams, linearGrowth } from './fuzz-helpers.js';

function parse(lines: Buffer[]): { chunks: HistoryChunk[]; report: ReturnType<typeof newGitReport> } {
  const report = newGitReport();
  const parser = new PatchParser({ maxFileSize: Number.MAX_SAFE_INTEGER, isExcluded: () => false }, report);
  const chunks: HistoryChunk[] = [];
  for (const line of lines) chunks.push(...(parser.line(line) ?? []));
  chunks.push(...(parser.end() ?? []));
  return { chunks, report };
}

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, start)) {
    lines.push(bytes.subarray(start, i));
    start = i + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

function expectWellFormed(chunks: HistoryChunk[], report: ReturnType<typeof newGitReport>): void {
  for (const chunk of chunks) {
    expect(Number.isSafeInteger(chunk.startLine) && chunk.startLine >= 1, `startLine ${chunk.startLine}`).toBe(true);
    expect(chunk.origin.path.length).toBeGreaterThan(0);
    expect(chunk.bytes.length).toBeGreaterThan(0);
  }
  for (const value of [report.commits, report.files, report.bytes, report.blobs, ...Object.values(report.skipped)]) {
    expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
  }
}

// ─── A model of history and the patch git prints for it ─────────────────────────────────────────

/** Path characters, including those git quotes (quote, backslash, tab, newline, control bytes). */
const pathChar = fc.constantFrom(...'abcXYZ019-_. /', 'é', '日', '"', '\\', '\t', '\n', '\x01', ' b/', 'a/');
const path = fc.array(pathChar, { minLength: 1, maxLength: 12 }).map((chars) => chars.join('').replace(/^\/+|\/+$/g, '').replace(/\/+/g, '/') || 'x');
/** Added or removed line content: anything but a newline, including what looks like headers. */
const content = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abc =:"\'\t\r\0\\@+-'), maxLength: 40 }),
  fc.constantFrom('diff --git a/x b/x', '@@ -1 +1 @@', '\0commit', '+++ b/y', '--- a/y', '\\ No newline at end of file', 'index 0000..1111', ''),
);
const hunk = fc.record({ gap: fc.integer({ min: 0, max: 50 }), removed: fc.array(content, { maxLength: 4 }), added: fc.array(content, { maxLength: 6 }) });
const fileChange = fc.record({ path, hunks: fc.array(hunk, { minLength: 1, maxLength: 4 }) });
const commit = fc.record({ files: fc.uniqueArray(fileChange, { selector: (file) => file.path, maxLength: 4 }) });

function quote(path: string): string {
  if (!/["\\\t\n\x00-\x1f]/.test(path)) return path;
  const escapes: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\t': '\\t', '\n': '\\n' };
  return `"${[...path].map((c) => escapes[c] ?? (c.charCodeAt(0) < 0x20 ? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}` : c)).join('')}"`;
}

/** The `git log -p -U0 --full-index` text of `commits`, and the runs of added lines a parser must find. */
function render(commits: { files: { path: string; hunks: { gap: number; removed: string[]; added: string[] }[] }[] }[]) {
  const out: string[] = [];
  const expected: { commit: string; path: string; startLine: number; text: string }[] = [];
  commits.forEach((c, index) => {
    const id = index.toString(16).padStart(40, 'a');
    out.push(`\0${id}\0\0${'2024-01-01T00:00:00+00:00'}\0Ada\0ada@example.com`, '');
    for (const file of c.files) {
      const a = quote(`a/${file.path}`);
      const b = quote(`b/${file.path}`);
      out.push(`diff --git ${a} ${b}`, `index ${'1'.repeat(40)}..${'2'.repeat(40)} 100644`, `--- ${a}`, `+++ ${b}`);
      let oldLine = 0;
      let newLine = 0;
      for (const h of file.hunks) {
        oldLine += h.gap + 1;
        newLine += h.gap + 1;
        const oldStart = h.removed.length === 0 ? oldLine - 1 : oldLine;
        const newStart = h.added.length === 0 ? newLine - 1 : newLine;
        out.push(`@@ -${oldStart},${h.removed.length} +${newStart},${h.added.length} @@ context`);
        for (const line of h.removed) out.push(`-${line}`);
        for (const line of h.added) out.push(`+${line}`);
        if (h.added.length > 0) expected.push({ commit: id, path: file.path, startLine: newStart, text: h.added.map((line) => `${line}\n`).join('') });
        oldLine += h.removed.length;
        newLine += h.added.length;
      }
    }
  });
  return { lines: out.map((line) => Buffer.from(line, 'utf8')), expected };
}

/** Chunks merged back into runs per commit and path (the parser joins adjacent hunks' lines). */
function runs(items: { commit: string; path: string; startLine: number; text: string }[]) {
  const merged: typeof items = [];
  for (const item of items) {
    const last = merged[merged.length - 1];
    if (last && last.commit === item.commit && last.path === item.path && last.startLine + last.text.split('\n').length - 1 === item.startLine) last.text += item.text;
    else merged.push({ ...item });
  }
  return merged;
}

describe('PatchParser on generated history', () => {
  it('returns exactly the added lines, at their line numbers, whatever the paths and contents', () => {
    fc.assert(
      fc.property(fc.array(commit, { maxLength: 5 }), (commits) => {
        const { lines, expected } = render(commits);
        const { chunks, report } = parse(lines);
        expectWellFormed(chunks, report);
        const got = chunks.map((chunk) => ({ commit: chunk.origin.commit!, path: chunk.origin.path, startLine: chunk.startLine, text: Buffer.from(chunk.bytes).toString('utf8') }));
        expect(runs(got)).toEqual(runs(expected));
        expect(report.commits).toBe(commits.length);
      }),
      fcParams(300),
    );
  });
});

describe('PatchParser on adversarial text', () => {
  const headerish = fc.constantFrom(
    'diff --git a/x b/x', 'diff --git "a/x\\', 'diff --cc "x\\', 'diff --combined x', '+++ "b/\\', '+++ "b/x\\', '+++ b/', '+++ /dev/null', '--- a/x',
    'rename to "\\', 'copy to "', '@@ -1 +1 @@', '@@ -1,2 +abc @@', '@@ -0,0 +0,0 @@', '@@ -1,99999999999 +1,99999999999 @@', '@@@ -1 -1 +1 @@@',
    '@@@@@@@@@@@@@@@@@@@@ -1 +1', '@@', '@@ garbage', 'index ..', 'index 1..2 160000', 'new file mode 120000', 'mode 1..2', 'deleted file mode 100644',
    'Binary files a/x and b/x differ', 'GIT binary patch', '\\ No newline at end of file', '\0', '\0a\0b\0c', '+', '-', ' ', '++', '  ', '+\xff\xfe',
  );
  const line = fc.oneof({ weight: 3, arbitrary: headerish }, { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) }, { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('+', '-', ' ', '@', '\\', '"', '\0'), maxLength: 8 }) });

  it('never throws and yields only well-formed chunks on line soup', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 200 }), (soup) => {
        const { chunks, report } = parse(soup.map((text) => Buffer.from(text, 'latin1')));
        expectWellFormed(chunks, report);
      }),
      fcParams(400),
    );
  });

  it('never throws on random bytes split into lines', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8192 }), (bytes) => {
        const { chunks, report } = parse(splitLines(Buffer.from(bytes)));
        expectWellFormed(chunks, report);
      }),
      fcParams(200),
    );
  });

  it('takes linear time on big histories, long lines and lying hunk counts', () => {
    const shapes: Record<string, (n: number) => Buffer[]> = {
      'many commits': (n) => render(Array.from({ length: n / 10 }, () => ({ files: [{ path: 'a.txt', hunks: [{ gap: 0, removed: ['x'], added: ['token = 1', 'y'] }] }] }))).lines,
      'one huge hunk': (n) => [Buffer.from('\0c\0\0d\0a\0e'), Buffer.from('diff --git a/x b/x'), Buffer.from('+++ b/x'), Buffer.from(`@@ -0,0 +1,${n} @@`), ...Array.from({ length: n }, (_, i) => Buffer.from(`+line ${i}`))],
      'a lying count': (n) => [Buffer.from('diff --git a/x b/x'), Buffer.from('+++ b/x'), Buffer.from('@@ -1,99999999999 +1,99999999999 @@'), ...Array.from({ length: n }, () => Buffer.from('+\0diff --git a/y b/y'))],
      'a long line': (n) => [Buffer.from('diff --git a/x b/x'), Buffer.from('+++ b/x'), Buffer.from('@@ -0,0 +1 @@'), Buffer.from(`+${'a'.repeat(n * 100)}`)],
      'many files': (n) => Array.from({ length: n }, (_, i) => [Buffer.from(`diff --git a/f${i} b/f${i}`), Buffer.from(`+++ b/f${i}`), Buffer.from('@@ -0,0 +1 @@'), Buffer.from('+x')]).flat(),
    };
    for (const [name, make] of Object.entries(shapes)) {
      const inputs = new Map([20_000, 80_000].map((n) => [n, make(n)]));
      const growth = linearGrowth((n) => parse(inputs.get(n)!), 20_000);
      expect(growth.linear, `${name}: ${JSON.stringify(growth)}`).toBe(true);
    }
  });
});

describe('unquote on adversarial paths', () => {
  it('never throws, for any text after a quote', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('\\', '"', '0', '7', '8', 'n', 'x', 'é', 'a'), maxLength: 20 }), (rest) => {
        expect(typeof unquote(`"${rest}`)).toBe('string');
      }),
      fcParams(300),
    );
  });
});

describe('regressions', () => {
  const header = [Buffer.from('\0c1\0\0d\0a\0e')];

  it('regression: a quoted path ending in a backslash does not crash the history parser', () => {
    expect(unquote('"\\')).toBe('\\');
    expect(() => parse([...header, Buffer.from('diff --cc "x\\'), Buffer.from('+++ "b/\\'), Buffer.from('@@ -0,0 +1 @@'), Buffer.from('+x')])).not.toThrow();
  });

  it('regression: a hunk header without numbers, or adding at line 0, yields no chunk at line NaN or 0', () => {
    for (const hunkHeader of ['@@ -1 +abc @@', '@@ -1 + @@', '@@ -0,0 +0,1 @@', '@@@ -1 -1 +x @@@']) {
      const { chunks } = parse([...header, Buffer.from('diff --git a/x b/x'), Buffer.from('+++ b/x'), Buffer.from(hunkHeader), Buffer.from('+token = 1')]);
      expect(chunks, hunkHeader).toEqual([]);
    }
  });

  it('regression: a file header with no usable path yields no chunk with an empty path', () => {
    const { chunks } = parse([...header, Buffer.from('diff --git "a/x\\'), Buffer.from('@@ -0,0 +1 @@'), Buffer.from('+token = 1')]);
    expect(chunks).toEqual([]);
  });

  it('regression: a commit header ends a hunk whose count promised more lines', () => {
    const lines = [...header, Buffer.from('diff --git a/x b/x'), Buffer.from('+++ b/x'), Buffer.from('@@ -1,0 +1,9 @@'), Buffer.from('+a')];
    lines.push(Buffer.from('\0c2\0\0d\0a\0e'), Buffer.from('diff --git a/y b/y'), Buffer.from('+++ b/y'), Buffer.from('@@ -0,0 +1 @@'), Buffer.from('+b'));
    const { chunks, report } = parse(lines);
    expect(report.commits).toBe(2);
    expect(chunks.map((chunk) => [chunk.origin.commit, chunk.origin.path, Buffer.from(chunk.bytes).toString()])).toEqual([
      ['c1', 'x', 'a\n'],
      ['c2', 'y', 'b\n'],
    ]);
  });
});
