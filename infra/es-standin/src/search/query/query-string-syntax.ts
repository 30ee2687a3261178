import { EsError, illegalArgument } from '../../errors.js';

/** One leaf of a parsed query string: a term or a quoted phrase, on a field or the default fields. */
export interface QueryStringLeaf {
  kind: 'term' | 'phrase' | 'match_all';
  field?: string;
  text: string;
  boost?: number;
  /** `~` after a term (fuzziness) or a phrase (slop). */
  tilde?: string;
}

/** A parsed query string: leaves and groups combined as Lucene's classic query parser does (must, should, must not). */
export type QueryStringNode = QueryStringLeaf | { kind: 'group'; clauses: QueryStringClause[] };

/** A node with the occurrence Lucene gives it. */
export interface QueryStringClause {
  occur: 'must' | 'should' | 'must_not';
  node: QueryStringNode;
}

type Token =
  | { type: 'open' | 'close' | 'and' | 'or' | 'not' | 'plus' | 'minus' }
  | { type: 'word'; text: string; field?: string; quoted: boolean; boost?: number; tilde?: string; opensGroup: boolean };

const unsupportedCharacters: Record<string, string> = {
  '*': 'wildcard', '?': 'wildcard', '[': 'range', ']': 'range', '{': 'range', '}': 'range', '/': 'regular expression', '<': 'range', '>': 'range', '=': 'range',
};

function unsupported(what: string, text: string): EsError {
  return illegalArgument(`[query_string] the es-standin (development/test stand-in) does not support ${what} syntax, found in [${text}]`);
}

function syntaxError(query: string, detail: string): EsError {
  return new EsError(400, 'query_shard_exception', `Failed to parse query [${query}]`, { index_uuid: '_na_' }, new EsError(400, 'parse_exception', detail));
}

class Lexer {
  private position = 0;
  constructor(private readonly query: string) {}

  tokens(): Token[] {
    const tokens: Token[] = [];
    for (let token = this.next(tokens.at(-1)); token; token = this.next(tokens.at(-1))) tokens.push(token);
    return tokens;
  }

  private peek(): string | undefined {
    return this.query[this.position];
  }

  private next(previous: Token | undefined): Token | undefined {
    while (this.peek() !== undefined && /\s/.test(this.peek()!)) this.position += 1;
    const character = this.peek();
    if (character === undefined) return undefined;
    if (character === '(' || character === ')') {
      this.position += 1;
      return { type: character === '(' ? 'open' : 'close' };
    }
    if (this.query.startsWith('&&', this.position) || this.query.startsWith('||', this.position)) {
      this.position += 2;
      return { type: character === '&' ? 'and' : 'or' };
    }
    const startsClause = previous === undefined || previous.type !== 'word';
    if ((character === '+' || character === '-' || character === '!') && (startsClause || /\s/.test(this.query[this.position - 1] ?? ' '))) {
      this.position += 1;
      return { type: character === '+' ? 'plus' : character === '-' ? 'minus' : 'not' };
    }
    return this.word();
  }

  private word(): Token {
    let field: string | undefined;
    let text = this.peek() === '"' ? undefined : this.bareText();
    if (text !== undefined && this.peek() === ':') {
      this.position += 1;
      field = text;
      text = this.peek() === '"' || this.peek() === '(' ? undefined : this.bareText();
      if (text === '') throw syntaxError(this.query, `Cannot parse '${this.query}': nothing after [${field}:]`);
    }
    if (text === 'AND' || text === 'OR' || text === 'NOT') return { type: text === 'AND' ? 'and' : text === 'OR' ? 'or' : 'not' };
    if (text === undefined && this.peek() === '(') return { type: 'word', text: '', field, quoted: false, opensGroup: true };
    const quoted = text === undefined;
    const value = quoted ? this.quotedText() : text!;
    const token: Token = { type: 'word', text: value, field, quoted, opensGroup: false };
    this.suffixes(token);
    return token;
  }

  private suffixes(token: Extract<Token, { type: 'word' }>): void {
    for (let character = this.peek(); character === '~' || character === '^'; character = this.peek()) {
      this.position += 1;
      const amount = /^[0-9.]*/.exec(this.query.slice(this.position))![0];
      this.position += amount.length;
      if (character === '^') {
        if (amount === '' || !Number.isFinite(Number(amount))) throw syntaxError(this.query, `Cannot parse '${this.query}': a boost needs a number`);
        token.boost = Number(amount);
      } else token.tilde = amount === '' ? 'AUTO' : amount;
    }
  }

  private bareText(): string {
    let text = '';
    for (let character = this.peek(); character !== undefined; character = this.peek()) {
      if (/\s/.test(character) || '()":~^'.includes(character)) break;
      if (character === '\\') {
        const escaped = this.query[this.position + 1];
        if (escaped === undefined) throw syntaxError(this.query, `Cannot parse '${this.query}': Term can not end with escape character.`);
        text += escaped;
        this.position += 2;
        continue;
      }
      const feature = unsupportedCharacters[character];
      if (feature && !(text === '' && character === '*' && this.isLoneStar())) throw unsupported(feature, this.query);
      text += character;
      this.position += 1;
    }
    return text;
  }

  private isLoneStar(): boolean {
    const after = this.query[this.position + 1];
    return after === undefined || /\s/.test(after) || after === ')' || after === ':';
  }

  private quotedText(): string {
    this.position += 1;
    let text = '';
    for (let character = this.peek(); character !== '"'; character = this.peek()) {
      if (character === undefined) throw syntaxError(this.query, `Cannot parse '${this.query}': Lexical error: unterminated quoted string`);
      if (character === '\\' && this.query[this.position + 1] !== undefined) {
        text += this.query[this.position + 1];
        this.position += 2;
        continue;
      }
      text += character;
      this.position += 1;
    }
    this.position += 1;
    return text;
  }
}

/** Parses the common query_string subset with Lucene's classic rules for AND, OR, NOT, `+` and `-`. */
export class QueryStringParser {
  private tokens: Token[] = [];
  private position = 0;

  constructor(
    private readonly query: string,
    private readonly defaultOperator: 'and' | 'or',
  ) {}

  /** The parsed query, as one group of clauses. */
  parse(): QueryStringNode {
    this.tokens = new Lexer(this.query).tokens();
    const node = this.group(undefined);
    if (this.position < this.tokens.length) throw syntaxError(this.query, `Cannot parse '${this.query}': Encountered " ")" "`);
    return node;
  }

  private group(field: string | undefined): QueryStringNode {
    const clauses: QueryStringClause[] = [];
    let conjunction: 'and' | 'or' | undefined;
    while (this.position < this.tokens.length && this.tokens[this.position]!.type !== 'close') {
      const token = this.tokens[this.position]!;
      if (token.type === 'and' || token.type === 'or') {
        if (clauses.length === 0 || conjunction) throw syntaxError(this.query, `Cannot parse '${this.query}': Encountered " <${token.type.toUpperCase()}> "`);
        conjunction = token.type;
        this.position += 1;
        continue;
      }
      let modifier: 'required' | 'prohibited' | undefined;
      if (token.type === 'plus' || token.type === 'minus' || token.type === 'not') {
        modifier = token.type === 'plus' ? 'required' : 'prohibited';
        this.position += 1;
      }
      const node = this.clause(field);
      this.addClause(clauses, conjunction, modifier, node);
      conjunction = undefined;
    }
    if (conjunction) throw syntaxError(this.query, `Cannot parse '${this.query}': Encountered "<EOF>" after <${conjunction.toUpperCase()}>`);
    return { kind: 'group', clauses };
  }

  private clause(field: string | undefined): QueryStringNode {
    const token = this.tokens[this.position];
    if (!token) throw syntaxError(this.query, `Cannot parse '${this.query}': Encountered "<EOF>"`);
    this.position += 1;
    if (token.type === 'open' || (token.type === 'word' && token.opensGroup)) {
      if (token.type === 'word') this.position += 1;
      const inner = this.group(token.type === 'word' ? token.field : field);
      if (this.tokens[this.position]?.type !== 'close') throw syntaxError(this.query, `Cannot parse '${this.query}': Encountered "<EOF>", expected ")"`);
      this.position += 1;
      return inner;
    }
    if (token.type !== 'word') throw syntaxError(this.query, `Cannot parse '${this.query}': Encountered " <${token.type.toUpperCase()}> "`);
    const target = token.field ?? field;
    if (!token.quoted && token.text === '*' && (target === undefined || target === '*')) return { kind: 'match_all', text: '*' };
    if (!token.quoted && token.text === '*') throw unsupported('wildcard', this.query);
    if (target?.includes('*') || target === '_exists_') throw unsupported(target === '_exists_' ? '_exists_' : 'wildcard field', this.query);
    return { kind: token.quoted ? 'phrase' : 'term', field: target, text: token.text, boost: token.boost, tilde: token.tilde };
  }

  private addClause(clauses: QueryStringClause[], conjunction: 'and' | 'or' | undefined, modifier: 'required' | 'prohibited' | undefined, node: QueryStringNode): void {
    const last = clauses.at(-1);
    if (last && conjunction === 'and' && last.occur !== 'must_not') last.occur = 'must';
    if (last && this.defaultOperator === 'and' && conjunction === 'or' && last.occur !== 'must_not') last.occur = 'should';
    const prohibited = modifier === 'prohibited';
    const required = this.defaultOperator === 'or' ? modifier === 'required' || (conjunction === 'and' && !prohibited) : !prohibited && conjunction !== 'or';
    clauses.push({ occur: prohibited ? 'must_not' : required ? 'must' : 'should', node });
  }
}
