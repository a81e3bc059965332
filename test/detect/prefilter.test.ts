import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeywordMatcher, usePrebuiltMatcher } from '../../src/detect/prefilter.js';

function named(matcher: KeywordMatcher, flat: number[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < flat.length; i += 2) found.push(`${matcher.keywords[flat[i]!]}@${flat[i + 1]}`);
  return found;
}

function hitsOf(matcher: KeywordMatcher, text: string): string[] {
  const found = named(matcher, matcher.findInString(text));
  expect(named(matcher, matcher.findInBytes(Buffer.from(text, 'latin1')))).toEqual(found);
  return found;
}

describe('KeywordMatcher', () => {
  it.each([
    ['finds a keyword with its end offset', ['ghp_'], 'x ghp_abc', ['ghp_@6']],
    ['folds ASCII case', ['akia'], 'AKIA Akia aKiA', ['akia@4', 'akia@9', 'akia@14']],
    ['reports overlapping keywords (an alternation regex would not)', ['he', 'she', 'hers'], 'ushers', ['she@4', 'he@4', 'hers@6']],
    ['reports a keyword that is a suffix of another through failure links', ['token', 'ken'], 'xtoken', ['token@6', 'ken@6']],
    ['finds nothing in text without keywords', ['password'], 'passwor d pass word', []],
    ['restarts after a partial match', ['aab'], 'aaab', ['aab@4']],
  ])('%s', (_name, keywords, text, expected) => {
    expect(hitsOf(new KeywordMatcher(keywords), text)).toEqual(expected);
  });

  it('treats non-ASCII characters as breaks, in bytes and in strings', () => {
    const matcher = new KeywordMatcher(['token']);
    expect(matcher.findInString('tok\u00e9en token')).toEqual([0, 12]);
    expect(matcher.findInBytes(Buffer.from('tok\u00e9en token', 'utf8'))).toEqual([0, 13]);
  });

  it('rejects non-ASCII keywords', () => {
    expect(() => new KeywordMatcher(['cl\u00e9'])).toThrow(/not ASCII/);
  });

  it('scans a megabyte of keyword-dense text in linear time', () => {
    const matcher = new KeywordMatcher(['aaaa', 'aaab', 'a']);
    const text = 'a'.repeat(1 << 20);
    // Every position ends 'a'; positions from the 4th also end 'aaaa'.
    expect(matcher.findInString(text).length / 2).toBe((1 << 20) + (1 << 20) - 3);
  });

  it('finds exactly what a naive search finds, for any keywords and text (property)', () => {
    // A small alphabet makes overlaps, shared prefixes and failure links common; the text also has
    // upper case, characters in no keyword, and non-ASCII whose low byte is a keyword letter (U+0161).
    const keyword = fc.stringMatching(/^[abc_\-:]{1,6}$/);
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'A', 'B', '_', '-', ':', 'x', ' ', '\u0161', '\u00e9'), { maxLength: 200 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(keyword, { minLength: 1, maxLength: 12 }), text, (keywords, haystack) => {
        const matcher = new KeywordMatcher(keywords);
        const lower = haystack.toLowerCase();
        const expected: string[] = [];
        for (let end = 1; end <= haystack.length; end++) {
          const ending = keywords.filter((k) => end >= k.length && lower.slice(end - k.length, end) === k);
          // Same order as the automaton reports them: longest first (its own output, then failure links).
          ending.sort((x, y) => y.length - x.length);
          for (const k of ending) expected.push(`${k}@${end}`);
        }
        expect(named(matcher, matcher.findInString(haystack))).toEqual(expected);
      }),
      { seed: 20261126, numRuns: 300 },
    );
  });

  it('finds the same in large buffers (walked as four quarters at once) as in one walk, keywords across the seams included', () => {
    const keyword = fc.stringMatching(/^[abc_\-:]{1,9}$/);
    const piece = fc.array(fc.constantFrom('a', 'b', 'c', 'A', '_', '-', ':', 'x', ' ', '\u00e9'), { minLength: 1, maxLength: 64 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(keyword, { minLength: 1, maxLength: 12 }), piece, fc.integer({ min: 4096, max: 9000 }), fc.integer({ min: -12, max: 12 }), (keywords, unit, size, shiftSeam) => {
        const matcher = new KeywordMatcher(keywords);
        // Keywords placed to straddle each seam exercise the hand-over from one walk to the next.
        let text = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
        const quarter = Buffer.byteLength(text, 'latin1') >> 2;
        for (const [index, seam] of [quarter, 2 * quarter, 3 * quarter].entries()) {
          const straddling = keywords[index % keywords.length]!;
          const at = Math.max(0, seam - Math.floor(straddling.length / 2) + (shiftSeam % Math.max(1, straddling.length)));
          text = text.slice(0, at) + straddling.toUpperCase() + text.slice(at + straddling.length);
        }
        const bytes = Buffer.from(text, 'latin1');
        expect(named(matcher, matcher.findInBytes(bytes))).toEqual(named(matcher, matcher.findInString(bytes.toString('latin1'))));
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('finds the same once specialized (recompiled with its tables as constants) as before, in bytes and in strings', () => {
    const keyword = fc.stringMatching(/^[abc_\-:]{1,9}$/);
    const piece = fc.array(fc.constantFrom('a', 'b', 'c', 'A', '_', '-', ':', 'x', ' ', '\u00e9'), { minLength: 1, maxLength: 64 }).map((chars) => chars.join(''));
    const keywords = ['ab', 'abc', 'b_c', 'c:a', 'aaa', '-x-', 'bca:b'];
    const generic = new KeywordMatcher(keywords);
    const specialized = new KeywordMatcher(keywords);
    specialized.specialize();
    fc.assert(
      fc.property(piece, fc.integer({ min: 1, max: 12000 }), (unit, size) => {
        const bytes = Buffer.from(unit.repeat(Math.ceil(size / unit.length)).slice(0, size), 'latin1');
        expect(specialized.findInBytes(bytes)).toEqual(generic.findInBytes(bytes));
        const text = bytes.toString('latin1');
        expect(specialized.findInString(text)).toEqual(generic.findInString(text));
        const stretches = [size >> 3, size >> 2, size >> 1, size - (size >> 3)];
        expect(specialized.findInStretches(text, stretches)).toEqual(generic.findInStretches(text, stretches));
      }),
      { seed: 11, numRuns: 100 },
    );
  });

  it('finds a keyword longer than a quarter of the buffer, across two seams', () => {
    const long = `k${'ab'.repeat(750)}z`;
    const matcher = new KeywordMatcher([long, 'abab']);
    const text = `${'x'.repeat(900)}${long.toUpperCase()}${'y'.repeat(2000)}`;
    const bytes = Buffer.from(text, 'latin1');
    expect(named(matcher, matcher.findInBytes(bytes))).toEqual(named(matcher, matcher.findInString(text)));
    expect(named(matcher, matcher.findInBytes(bytes))).toContain(`${long}@${900 + long.length}`);
  });

  it('ships as an image that loads to the same automaton, used only for exactly its keywords', () => {
    const keywords = ['token', 'ken', 'ghp_', 'password', 'pass=', 'a3-'];
    const built = new KeywordMatcher(keywords);
    const loaded = KeywordMatcher.fromImage(built.toImage());
    const text = `x TOKEN=ghp_abc; password pass=1 a3-b ${'filler kenpass '.repeat(500)}token`;
    expect(loaded.keywords).toEqual(keywords);
    expect(loaded.findInBytes(Buffer.from(text))).toEqual(built.findInBytes(Buffer.from(text)));
    expect(loaded.findInString(text)).toEqual(built.findInString(text));

    usePrebuiltMatcher(loaded);
    expect(KeywordMatcher.forKeywords([...keywords])).toBe(loaded);
    expect(KeywordMatcher.forKeywords([...keywords, 'extra'])).not.toBe(loaded);
    expect(KeywordMatcher.forKeywords(keywords.slice().reverse())).not.toBe(loaded);
  });

  it('hands out a matcher built ahead (dist/starts.bin) for exactly its keywords', () => {
    const keywords = ['api_key', 'secret=', 'x-token'];
    const shipped = KeywordMatcher.fromImage(new KeywordMatcher(keywords).toImage());
    KeywordMatcher.remember(shipped);
    expect(KeywordMatcher.specializedFor([...keywords])).toBe(shipped);
    expect(KeywordMatcher.specializedFor([...keywords, 'more'])).not.toBe(shipped);
  });

  it('specializes its walks only once it has walked enough text to pay for compiling them, finding the same', () => {
    const matcher = new KeywordMatcher(['token', 'ghp_', 'pass=']);
    const walks = () => (matcher as unknown as { walk: () => void }).walk.toString();
    const text = Buffer.from(`x TOKEN=ghp_abc pass=1 ${'filler '.repeat(30)}`);
    matcher.specializeAfter(3 * text.length);
    const before = matcher.findInBytes(text);
    matcher.findInBytes(text);
    expect(walks()).not.toContain('__secretscanPrefilter');
    expect(matcher.findInBytes(text)).toEqual(before);
    expect(walks()).toContain('__secretscanPrefilter');
    expect(matcher.findInBytes(text)).toEqual(before);
  });
});
