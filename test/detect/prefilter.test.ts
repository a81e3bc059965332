import { describe, expect, it } from 'vitest';
import { KeywordMatcher } from '../../src/detect/prefilter.js';

function hitsOf(matcher: KeywordMatcher, text: string): string[] {
  const found: string[] = [];
  matcher.scanString(text, (keyword, end) => found.push(`${matcher.keywords[keyword]}@${end}`));
  const fromBytes: string[] = [];
  matcher.scanBytes(Buffer.from(text, 'latin1'), (keyword, end) => fromBytes.push(`${matcher.keywords[keyword]}@${end}`));
  expect(fromBytes).toEqual(found);
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
    const found: number[] = [];
    matcher.scanString('tok\u00e9en token', (_k, end) => found.push(end));
    expect(found).toEqual([12]);
    const bytes: number[] = [];
    matcher.scanBytes(Buffer.from('tok\u00e9en token', 'utf8'), (_k, end) => bytes.push(end));
    expect(bytes).toEqual([13]);
  });

  it('rejects non-ASCII keywords', () => {
    expect(() => new KeywordMatcher(['cl\u00e9'])).toThrow(/not ASCII/);
  });

  it('scans a megabyte of keyword-dense text in linear time', () => {
    const matcher = new KeywordMatcher(['aaaa', 'aaab', 'a']);
    let count = 0;
    const text = 'a'.repeat(1 << 20);
    matcher.scanString(text, () => count++);
    // Every position ends 'a'; positions from the 4th also end 'aaaa'.
    expect(count).toBe((1 << 20) + (1 << 20) - 3);
  });
});
