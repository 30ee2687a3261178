import { describe, expect, it } from '@jest/globals';
import levenshtein from 'damerau-levenshtein';
import { TermTrie } from '../src/store/term-trie.js';

function randomWords(count: number, seed: number): string[] {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const letters = 'aeiostnrlc';
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(next() * 8) }, () => letters[Math.floor(next() * letters.length)]).join(''));
}

const bruteForce = (vocabulary: Iterable<string>, query: string, edits: number) => [...vocabulary].filter((term) => levenshtein(query, term).steps <= edits).sort();

describe('term trie: the term dictionary fuzzy expansion walks', () => {
  it('finds exactly the terms within the edit distance the fuzzy query measures, transpositions included', () => {
    const vocabulary = new Set([...randomWords(1_500, 7), 'shoe', 'sheo', 'classic', 'clasic', 'ab', 'ba', 'é']);
    const trie = new TermTrie();
    for (const term of vocabulary) trie.add(term);
    for (const query of [...randomWords(60, 99), 'sheo', 'clasic', 'ba', 'e', '']) {
      for (const edits of [1, 2]) expect({ query, edits, found: trie.within(query, edits).sort() }).toEqual({ query, edits, found: bruteForce(vocabulary, query, edits) });
    }
  });

  it('forgets removed terms and keeps the others', () => {
    const trie = new TermTrie();
    for (const term of ['shoe', 'shoes', 'shop', 'sh']) trie.add(term);
    trie.remove('shoes');
    trie.remove('sh');
    trie.remove('absent');
    expect(trie.within('shoe', 1).sort()).toEqual(['shoe', 'shop']);
    trie.remove('shoe');
    trie.remove('shop');
    expect(trie.within('shoe', 2)).toEqual([]);
    trie.add('shoe');
    expect(trie.within('sheo', 1)).toEqual(['shoe']);
  });

  it('answers a repeated walk from the terms as they are now, after every addition and removal', () => {
    const trie = new TermTrie();
    trie.add('shoe');
    expect(trie.within('shoe', 1)).toEqual(['shoe']);
    trie.add('shop');
    expect(trie.within('shoe', 1).sort()).toEqual(['shoe', 'shop']);
    trie.remove('shoe');
    expect(trie.within('shoe', 1)).toEqual(['shop']);
    trie.within('shoe', 1).push('mutated');
    expect(trie.within('shoe', 1)).toEqual(['shop']);
  });
});
