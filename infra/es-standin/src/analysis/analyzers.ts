import { mapperParsingError } from '../errors.js';
import {
  builtInFilters,
  englishStopWords,
  lowercaseFilter,
  porterStemFilter,
  possessiveFilter,
  stopFilter,
} from './filters.js';
import type { Token, TokenFilter, Tokenizer } from './token.js';
import { keywordTokenizer, letterTokenizer, standardTokenizer, tokenizers, whitespaceTokenizer } from './tokenizers.js';

/** Turns text into the terms that are indexed or searched. */
export type Analyzer = (text: string) => Token[];

/** The `analysis` section of index settings. */
export interface AnalysisSettings {
  analyzer?: Record<string, Record<string, unknown>>;
  filter?: Record<string, Record<string, unknown>>;
}

function chain(tokenizer: Tokenizer, filters: TokenFilter[]): Analyzer {
  return (text) => filters.reduce((tokens, filter) => filter(tokens), tokenizer(text));
}

const englishStop = stopFilter(englishStopWords);

const builtInAnalyzers: Record<string, Analyzer> = {
  standard: chain(standardTokenizer, [lowercaseFilter]),
  simple: chain(letterTokenizer, [lowercaseFilter]),
  whitespace: chain(whitespaceTokenizer, []),
  keyword: chain(keywordTokenizer, []),
  stop: chain(letterTokenizer, [lowercaseFilter, englishStop]),
  english: chain(standardTokenizer, [possessiveFilter, lowercaseFilter, englishStop, porterStemFilter]),
};

function stopWordsFrom(definition: Record<string, unknown>): ReadonlySet<string> {
  const words = definition['stopwords'];
  if (Array.isArray(words)) return new Set(words.map(String));
  if (words === '_none_') return new Set();
  return englishStopWords;
}

function filterFromDefinition(name: string, definition: Record<string, unknown>): TokenFilter {
  const type = String(definition['type'] ?? '');
  if (type === 'stop') return stopFilter(stopWordsFrom(definition));
  const builtIn = builtInFilters[type];
  if (!builtIn) throw mapperParsingError(`Unknown filter type [${type}] for [${name}]`);
  return builtIn;
}

function resolveFilter(name: string, settings: AnalysisSettings): TokenFilter {
  const custom = settings.filter?.[name];
  if (custom) return filterFromDefinition(name, custom);
  const builtIn = builtInFilters[name];
  if (!builtIn) throw mapperParsingError(`failed to find filter under name [${name}]`);
  return builtIn;
}

function customAnalyzer(name: string, definition: Record<string, unknown>, settings: AnalysisSettings): Analyzer {
  const type = String(definition['type'] ?? 'custom');
  if (type === 'standard' && definition['stopwords'] !== undefined) {
    return chain(standardTokenizer, [lowercaseFilter, stopFilter(stopWordsFrom(definition))]);
  }
  if (type !== 'custom') {
    const builtIn = builtInAnalyzers[type];
    if (!builtIn) throw mapperParsingError(`Unknown analyzer type [${type}] for [${name}]`);
    return builtIn;
  }
  const tokenizerName = String(definition['tokenizer'] ?? 'standard');
  const tokenizer = tokenizers[tokenizerName];
  if (!tokenizer) throw mapperParsingError(`failed to find tokenizer under name [${tokenizerName}]`);
  const filterNames = [definition['filter'] ?? []].flat().map(String);
  return chain(tokenizer, filterNames.map((filterName) => resolveFilter(filterName, settings)));
}

/** Resolves analyzer names for one index: its custom analyzers first, then the built-in ones. */
export class AnalyzerRegistry {
  private readonly analyzers = new Map<string, Analyzer>();

  constructor(settings: AnalysisSettings = {}) {
    for (const [name, definition] of Object.entries(settings.analyzer ?? {})) {
      this.analyzers.set(name, customAnalyzer(name, definition, settings));
    }
  }

  /** The analyzer with this name; throws a mapping error for an unknown name. */
  get(name: string): Analyzer {
    const analyzer = this.analyzers.get(name) ?? builtInAnalyzers[name];
    if (!analyzer) throw mapperParsingError(`analyzer [${name}] has not been configured in mappings`);
    return analyzer;
  }

  /** The analyzer text fields use when they name none: the index's `default` or `standard`. */
  defaultAnalyzer(): Analyzer {
    return this.get(this.analyzers.has('default') ? 'default' : 'standard');
  }
}
