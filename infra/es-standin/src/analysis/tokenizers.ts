import type { Token, Tokenizer } from './token.js';

const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });

/** Unicode (UAX #29) word segmentation, as Elasticsearch's `standard` tokenizer does. */
export const standardTokenizer: Tokenizer = (text) => {
  const tokens: Token[] = [];
  for (const segment of wordSegmenter.segment(text)) {
    if (!segment.isWordLike) continue;
    tokens.push({ term: segment.segment, position: tokens.length, start: segment.index, end: segment.index + segment.segment.length });
  }
  return tokens;
};

/** Splits on whitespace only. */
export const whitespaceTokenizer: Tokenizer = (text) =>
  [...text.matchAll(/\S+/gu)].map((match, position) => ({
    term: match[0],
    position,
    start: match.index,
    end: match.index + match[0].length,
  }));

/** Splits on anything that is not a letter. */
export const letterTokenizer: Tokenizer = (text) =>
  [...text.matchAll(/\p{L}+/gu)].map((match, position) => ({
    term: match[0],
    position,
    start: match.index,
    end: match.index + match[0].length,
  }));

/** Emits the whole input as a single token. */
export const keywordTokenizer: Tokenizer = (text) => [{ term: text, position: 0, start: 0, end: text.length }];

/** Tokenizers by their Elasticsearch name. */
export const tokenizers: Record<string, Tokenizer> = {
  standard: standardTokenizer,
  whitespace: whitespaceTokenizer,
  letter: letterTokenizer,
  keyword: keywordTokenizer,
};
