import { describe, expect, it } from 'vitest';
import { shannonEntropy } from '../../src/detect/entropy.js';
import { createFaker } from '../helpers/fake-secrets.js';

function reference(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / [...text].length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

describe('shannonEntropy', () => {
  it.each([
    ['', 0],
    ['a', 0],
    ['aaaaaaaa', 0],
    ['ab', 1],
    ['abcd', 2],
    ['0123456789abcdef', 4],
  ])('%j has entropy %d', (text, expected) => {
    expect(shannonEntropy(text)).toBeCloseTo(expected, 12);
  });

  it.each(['hunter2', 'correct horse battery staple', createFaker(5).make('aws-key-id'), 'x'.repeat(5000) + 'yz'.repeat(3000)])(
    'agrees with the textbook formula on %j',
    (text) => {
      expect(shannonEntropy(text)).toBeCloseTo(reference(text), 10);
    },
  );

  it('does not carry counts over from one call to the next', () => {
    shannonEntropy('zzzzzzzz');
    expect(shannonEntropy('ab')).toBe(1);
  });
});
