/**
 * Fuzzing the detectors (issue #8): the full built-in rule set, through scan() as the CLI runs it, fed
 * random bytes, broken and odd encodings, and pathological strings derived from every rule's own
 * pattern. Nothing may throw out of the engine, every run must grow linearly with its input, and
 * positions must stay consistent whatever the line endings and encoding.
 *
 * Bounded in `npm test`; `npm run fuzz` runs the same properties with FUZZ_RUNS cases and larger sizes.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Detector } from '../../src/detect/detector.js';
import { loadBuiltinRules, compileRules } from '../../src/rules/load.js';
import { prepareScan, scan, type ScanSetup } from '../../src/scan.js';
import type { RuleSpec, ScanResult } from '../../src/types.js';
import { createFaker } from '../helpers/fake-secrets.js';
import { testRule } from '../helpers/rules.js';
import { tempTree } from '../helpers/tmp.js';
import { fcParams, linearGrowth, linearGrowthAsync, pathologicalText, patternPieces, repeatedUnits, scaled } from './fuzz-helpers.js';

const builtin: RuleSpec[] = await loadBuiltinRules();
let setup: ScanSetup;
let cwd: string;

beforeAll(async () => {
  // An empty folder: no config file is found, so exactly the built-in rules are in force.
  cwd = await tempTree();
  setup = await prepareScan({ cwd });
});

async function scanBytes(bytes: Uint8Array, path = 'input.txt'): Promise<ScanResult> {
  return scan({ kind: 'stdin', cwd, input: { bytes, path } }, setup);
}

/** Every occurrence points at a real place: 1-based, start before end, inside the input's lines. */
function expectConsistent(result: ScanResult, lineCount: number): void {
  expect(Array.isArray(result.errors)).toBe(true);
  for (const finding of result.findings) {
    expect(finding.secret.length).toBeGreaterThan(0);
    for (const occurrence of finding.occurrences) {
      expect(Number.isSafeInteger(occurrence.line) && occurrence.line >= 1 && occurrence.line <= lineCount).toBe(true);
      expect(Number.isSafeInteger(occurrence.column) && occurrence.column >= 1).toBe(true);
      expect(occurrence.endLine > occurrence.line || (occurrence.endLine === occurrence.line && occurrence.endColumn >= occurrence.column)).toBe(true);
    }
  }
}

/** Upper bound on lines in bytes however they are decoded: every LF, CR and U+2028-free break counts. */
function maxLines(bytes: Uint8Array): number {
  let lines = 1;
  for (const byte of bytes) if (byte === 10 || byte === 13) lines++;
  return lines;
}

// ─── Inputs ──────────────────────────────────────────────────────────────────────────────────────

const KEYWORDS = [...new Set(builtin.flatMap((rule) => rule.keywords))];
const faker = createFaker(0xf022);
const SECRETS = ['github:ghp', 'aws-key-id', 'aws-secret', 'slack:xoxb', 'npm', 'sendgrid', 'pem:RSA PRIVATE KEY', 'openai:proj', 'password:20', 'jwt'].map((kind) => faker.make(kind));

/** Secrets that their rules find with no context around them (not the AWS secret key, for one). */
const STANDALONE = [0, 1, 3, 4];

/** Text fragments that exercise keywords, assignments, quoting, encodings and line structure. */
const fragment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KEYWORDS) },
  { weight: 2, arbitrary: fc.constantFrom(...SECRETS) },
  { weight: 3, arbitrary: fc.constantFrom(' = ', ': ', '="', "='", '"', "'", '`', '\n', '\r\n', '\r', '\t', '\0', ' ', '\\n', '%3D', '${{ secrets.X }}', '-----BEGIN ', 'base64,', 'Basic ') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...'aA0_-+/=.~:$@!'), minLength: 1, maxLength: 300 }) },
);

type Encoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16le-bom' | 'utf16be-bom' | 'latin1';
const ENCODINGS: Encoding[] = ['utf8', 'utf8-bom', 'utf16le', 'utf16le-bom', 'utf16be-bom', 'latin1'];

function encode(text: string, encoding: Encoding): Uint8Array {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be-bom':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    case 'latin1':
      return Buffer.from(text, 'latin1');
  }
}

/** Byte-level damage: invalid UTF-8, truncated sequences, stray surrogates' bytes, NULs. */
const damage = fc.array(
  fc.record({ at: fc.nat(), bytes: fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x00], [0xc0, 0xaf], [0x0d], [0xfe, 0xff]) }),
  { maxLength: 8 },
);

function damaged(bytes: Uint8Array, edits: readonly { at: number; bytes: readonly number[] }[]): Buffer {
  let out = Buffer.from(bytes);
  for (const edit of edits) {
    const at = out.length === 0 ? 0 : edit.at % (out.length + 1);
    out = Buffer.concat([out.subarray(0, at), Buffer.from(edit.bytes), out.subarray(at)]);
  }
  return out;
}

// ─── Properties ──────────────────────────────────────────────────────────────────────────────────

describe('detectors under random input', () => {
  it('never throw on random bytes, and report consistent positions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 * 1024 }), async (bytes) => {
        expectConsistent(await scanBytes(bytes), maxLines(bytes));
      }),
      fcParams(60),
    );
  });

  it('never throw on keyword soup in any encoding, damaged or not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fragment, { maxLength: 200 }), fc.constantFrom(...ENCODINGS), damage, async (parts, encoding, edits) => {
        const bytes = damaged(encode(parts.join(''), encoding), edits);
        expectConsistent(await scanBytes(bytes), maxLines(bytes));
      }),
      fcParams(150),
    );
  });

  it('find a planted secret on the line it is on, whatever the line endings and encoding', async () => {
    const planted = fc.record({
      before: fc.array(fc.string({ unit: fc.constantFrom(...'abc xyz=:#;{}()'), maxLength: 60 }), { maxLength: 30 }),
      after: fc.array(fc.string({ unit: fc.constantFrom(...'abc xyz=:#;{}()'), maxLength: 60 }), { maxLength: 5 }),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
      encoding: fc.constantFrom<Encoding>('utf8', 'utf8-bom', 'utf16le-bom', 'utf16be-bom'),
      indent: fc.string({ unit: fc.constantFrom(' ', '\t', 'é', '€', '😀'), maxLength: 6 }),
      secret: fc.constantFrom(...STANDALONE),
    });
    await fc.assert(
      fc.asyncProperty(planted, async ({ before, after, eol, encoding, indent, secret: index }) => {
        const secret = SECRETS[index]!;
        const line = `${indent}value = "${secret}"`;
        const text = [...before, line, ...after].join(eol);
        const result = await scanBytes(encode(text, encoding));
        const finding = result.findings.find((f) => f.secret === secret);
        expect(finding, `${secret.slice(0, 4)}… not found`).toBeDefined();
        const occurrence = finding!.occurrences[0]!;
        expect(occurrence.line).toBe(before.length + 1);
        // Columns count UTF-16 code units (SARIF's default), so an emoji counts two.
        expect(occurrence.column).toBe(`${indent}value = "`.length + 1);
      }),
      fcParams(120),
    );
  });
});

describe('pathological strings for every built-in rule', () => {
  const origin = { path: 'pathological.txt', source: 'stdin' } as const;
  const size = scaled(1500, 16_000);

  it('the generator finds what each pattern repeats', () => {
    // If the pattern reader stopped understanding the rules, every rule would quietly get only its
    // keywords; most rules repeat at least one class, so most must yield units.
    const withUnits = builtin.filter((rule) => repeatedUnits(rule).length > 0);
    expect(withUnits.length).toBeGreaterThan(builtin.length * 0.9);
    const pieces = patternPieces('\\b(ghp_[A-Za-z0-9]{36})(?:x[0-9a-f]+)*\\b');
    expect(pieces.repeatedClasses.map((members) => members.join(''))).toContain('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    expect(pieces.repeatedClasses.map((members) => members.join(''))).toContain('0123456789abcdef');
    expect(pieces.repeatedGroups).toEqual(['x0']);
    expect(pieces.sample).toBe(`ghp_${'0'.repeat(36)}x0`);
  });

  it('the linear-time check catches a rule that backtracks quadratically', async () => {
    // The check must be able to fail: a keyword-dense line merges into one window, and this pattern
    // retries its greedy run from every position of it.
    const quadratic = new Detector(await compileRules([testRule({ id: 'quadratic', keywords: ['tok'], pattern: '([a-z]+)!' })]));
    const text = (n: number) => Buffer.from(`tok${'a'.repeat(60)}`.repeat(Math.ceil(n / 63)));
    const inputs = new Map([3000, 12000].map((n) => [n, text(n)]));
    // The fastest of three runs each: one slow small run on a busy host made quadratic look linear (7.8x).
    const growth = linearGrowth((n) => quadratic.detect({ origin, bytes: inputs.get(n)! }), 3000, { floorMs: 5, repeats: 3 });
    expect(growth.linear, JSON.stringify(growth)).toBe(false);
  });

  it.each(builtin.map((rule) => [rule.id, rule] as const))('%s: linear time, nothing thrown', (_id, rule) => {
    const inputs = new Map([size, size * 4].map((n) => [n, Buffer.from(pathologicalText(rule, n))]));
    const growth = linearGrowth((n) => setup.detector.detect({ origin, bytes: inputs.get(n)! }), size);
    expect(growth.linear, `${rule.id}: ${JSON.stringify(growth)}`).toBe(true);
  });

  it('random mixes of rules\u2019 keywords and repeated units stay linear through scan()', async () => {
    const mixes = fc.array(fc.tuple(fc.constantFrom(...builtin), fc.nat(), fc.integer({ min: 1, max: 400 })), { minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(mixes, async (parts) => {
        const piece = parts
          .map(([rule, pick, count]) => {
            const units = repeatedUnits(rule);
            const unit = units.length > 0 ? units[pick % units.length]! : 'a';
            return `${rule.keywords[pick % Math.max(rule.keywords.length, 1)] ?? ''}${unit.repeat(count)}`;
          })
          .join('');
        const inputs = new Map<number, Buffer>();
        const base = Math.max(piece.length, 1);
        for (const n of [base * 8, base * 32]) inputs.set(n, Buffer.from(piece.repeat(n / base)));
        const growth = await linearGrowthAsync(async (n) => {
          expectConsistent(await scanBytes(inputs.get(n)!), Number.MAX_SAFE_INTEGER);
        }, base * 8);
        expect(growth.linear, JSON.stringify(growth)).toBe(true);
      }),
      fcParams(15),
    );
  });
});

describe('big inputs', () => {
  /**
   * A minified-bundle line: code with keywords, assignments and a secret every `every` characters. Under
   * `npm run fuzz` they come every few hundred characters, which merges every keyword window of the line
   * into one; that is linear but slow (about 1-2 MB/s with the full rule set on this machine), too slow
   * for 50 MB inside `npm test`, where they come every 32 KiB.
   */
  function codeLine(length: number): Buffer {
    const dense = `const token = fetch(url, { headers: { authorization: "Bearer " + key } }); password = getenv("DB_PASSWORD"); aws_secret_access_key=${SECRETS[2]}; `;
    const filler = 'function(e,t){return e&&e.__esModule?e:{default:e}}var n=Object.prototype.hasOwnProperty;';
    const every = scaled(32 * 1024, dense.length);
    const unit = dense + filler.repeat(Math.max(0, Math.ceil((every - dense.length) / filler.length)));
    return Buffer.from(unit.repeat(Math.ceil(length / unit.length)).slice(0, length));
  }

  function shortLines(count: number): Buffer {
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      if (i % 1000 === 0) lines.push(`key_${i % 7} = "${SECRETS[STANDALONE[(i / 1000) % 4]!]}"`);
      else if (i % 10 === 0) lines.push(`password: ${i}`);
      else lines.push(`x${i % 97}`);
    }
    return Buffer.from(lines.join('\n'));
  }

  it('a 50 MB single line: scanned in linear time, without errors', async () => {
    const full = 50 * 1024 * 1024;
    const inputs = new Map([full / 4, full].map((n) => [n, codeLine(n)]));
    let last: ScanResult | undefined;
    const growth = await linearGrowthAsync(async (n) => {
      last = await scanBytes(inputs.get(n)!);
    }, full / 4, { attempts: 2 });
    expect(growth.linear, JSON.stringify(growth)).toBe(true);
    expect(last!.errors).toEqual([]);
    expect(last!.findings.some((finding) => finding.secret === SECRETS[2])).toBe(true);
  }, 240_000);

  it('1,000,000 short lines: scanned in linear time, every planted secret found', async () => {
    const full = 1_000_000;
    const inputs = new Map([full / 4, full].map((n) => [n, shortLines(n)]));
    let last: ScanResult | undefined;
    const growth = await linearGrowthAsync(async (n) => {
      last = await scanBytes(inputs.get(n)!);
    }, full / 4, { attempts: 2 });
    expect(growth.linear, JSON.stringify(growth)).toBe(true);
    expect(last!.errors).toEqual([]);
    for (const secret of STANDALONE.map((index) => SECRETS[index]!)) {
      const finding = last!.findings.find((f) => f.secret === secret);
      expect(finding?.occurrences).toHaveLength(250);
    }
  }, 240_000);

  it('NUL-ridden and UTF-16 files through a worktree scan are skipped or read, never an error', async () => {
    const text = `password = "${SECRETS[8]}"\n`;
    const root = await tempTree({
      'nul.txt': Buffer.concat([Buffer.from(text), Buffer.from([0, 0, 0]), Buffer.from(text)]),
      'utf16-bom.txt': Buffer.from(encode(text, 'utf16le-bom')),
      'utf16-nobom.txt': Buffer.from(encode(text, 'utf16le')),
      'invalid-utf8.txt': damaged(Buffer.from(text), [{ at: text.length - 1, bytes: [0xff, 0xc3] }]),
      'cr.txt': text.replace(/\n/g, '\r'),
    });
    const result = await scan({ kind: 'worktree', cwd: root });
    expect(result.errors).toEqual([]);
    // A NUL in the first 8 KiB is binary: skipped and counted (UTF-16 without a BOM looks the same).
    expect(result.stats.skipped.binary).toBe(2);
    const paths = result.findings.flatMap((finding) => finding.occurrences.map((o) => o.path)).sort();
    expect(paths).toEqual(['cr.txt', 'invalid-utf8.txt', 'utf16-bom.txt']);
  });
});
