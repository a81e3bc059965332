/**
 * literalStarts decides where an anchored rule is tried at all, so a start it gets wrong loses findings.
 * What it returns is checked against patterns with known answers, and against the regex itself: every
 * match of the pattern in generated text must begin with one of the starts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { literalStarts } from '../../src/detect/starts.js';

describe('literalStarts', () => {
  it.each([
    ['a literal word', 'token[=:]', ['token']],
    ['each alternative, case folded', '(?i)(?:Secret|TOKEN)_?key', ['secret', 'token']],
    ['a word boundary is no character', '\\b(?:name|key)=', ['key=', 'name=']],
    ['a repeated literal spelled out', '-{3}[ \\t](?:PASS|FAIL)', ['---']],
    ['a fully literal group, crossed with what follows', '(?:api|app)[-_]key', ['api', 'app']],
    ['literal groups in a row', '(?:ab|cd)(?:ef|gh)x', ['abefx', 'abghx', 'cdefx', 'cdghx']],
    ['a start that extends a shorter one is dropped', 'next_page|next', ['next']],
    ['escaped punctuation is literal', '\\$\\{\\{[ ]?secrets', ['${{']],
  ])('%s', (_name, pattern, expected) => {
    expect(literalStarts(pattern)).toEqual(expected);
  });

  it.each([
    ['a class first', '[A-Za-z]{3}token'],
    ['an optional first element', '(?:x-)?api_key'],
    ['a dot first', '.token'],
    ['starts shorter than three characters', '(?:ab|token)[=:]'],
    ['one alternative without a literal start', 'token|[0-9]+'],
    ['named groups', '(?P<k>token)'],
    ['back-references and other escapes it does not follow', '\\x41token'],
    ['inline flags after the start', 'tok(?i:en)'],
  ])('gives up on %s', (_name, pattern) => {
    expect(literalStarts(pattern)).toBeUndefined();
  });

  it('every match of the pattern begins with one of its starts (property)', () => {
    const word = fc.stringMatching(/^[a-c]{3,5}$/);
    const tail = fc.constantFrom('', '[a-c]?', '[_-]{0,2}c', '(?:a|bb)?', 'x{2}');
    const alternative = fc.tuple(fc.constantFrom('', '\\b'), fc.array(word, { minLength: 1, maxLength: 3 }), tail).map(([boundary, words, rest]) => `${boundary}(?:${words.join('|')})${rest}`);
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'A', '_', '-', 'x', ' '), { maxLength: 120 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.array(alternative, { minLength: 1, maxLength: 4 }), text, (alternatives, haystack) => {
        const pattern = `(?i)${alternatives.join('|')}`;
        const starts = literalStarts(pattern);
        if (!starts) return;
        for (const match of haystack.matchAll(new RegExp(alternatives.join('|'), 'gi'))) {
          const rest = haystack.slice(match.index).toLowerCase();
          expect(starts.some((start) => rest.startsWith(start)), `${pattern} at ${match.index} of ${haystack}`).toBe(true);
        }
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});
