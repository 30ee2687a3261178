import { stemmer } from 'stemmer';
import type { Token, TokenFilter } from './token.js';

/** Lucene's default English stop word set (`_english_`). */
export const englishStopWords: ReadonlySet<string> = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);

function mapTerms(transform: (term: string) => string): TokenFilter {
  return (tokens) => tokens.map((token) => ({ ...token, term: transform(token.term) }));
}

/** Lower-cases every term. */
export const lowercaseFilter: TokenFilter = mapTerms((term) => term.toLowerCase());

/** Folds accented characters to their ASCII base letters. */
export const asciiFoldingFilter: TokenFilter = mapTerms((term) => term.normalize('NFD').replace(/\p{M}/gu, ''));

/** Drops a trailing English possessive `'s`. */
export const possessiveFilter: TokenFilter = mapTerms((term) => term.replace(/['’]s$/u, ''));

/** The Porter stemmer, as Elasticsearch's `porter_stem` and English `stemmer` filters apply it. */
export const porterStemFilter: TokenFilter = mapTerms((term) => stemmer(term));

/** Builds a stop filter for the given words; positions of removed tokens stay as gaps. */
export function stopFilter(words: ReadonlySet<string>): TokenFilter {
  return (tokens: Token[]) => tokens.filter((token) => !words.has(token.term));
}

/** Built-in token filters by their Elasticsearch name. */
export const builtInFilters: Record<string, TokenFilter> = {
  lowercase: lowercaseFilter,
  asciifolding: asciiFoldingFilter,
  porter_stem: porterStemFilter,
  kstem: porterStemFilter,
  stemmer: porterStemFilter,
  english_possessive_stemmer: possessiveFilter,
  stop: stopFilter(englishStopWords),
};
