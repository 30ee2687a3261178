/** One analysed term with its position and the character span it came from. */
export interface Token {
  term: string;
  position: number;
  start: number;
  end: number;
}

/** A token filter: maps a token stream to a new one (may drop tokens, keeping positions). */
export type TokenFilter = (tokens: Token[]) => Token[];

/** A tokenizer: splits raw text into tokens with offsets. */
export type Tokenizer = (text: string) => Token[];
