import type { TextFieldData } from '../mapping/document-fields.js';
import { TermTrie } from './term-trie.js';

/** Collection statistics of one text field, kept up to date as documents come and go (for BM25). */
export class TextFieldStats {
  docCount = 0;
  sumLength = 0;
  readonly docFreq = new Map<string, number>();
  /** The distinct terms, for fuzzy expansion. */
  readonly terms = new TermTrie();

  /** Counts a document's field in. */
  add(data: TextFieldData): void {
    this.docCount += 1;
    this.sumLength += data.length;
    for (const term of data.positions.keys()) {
      const count = (this.docFreq.get(term) ?? 0) + 1;
      this.docFreq.set(term, count);
      if (count === 1) this.terms.add(term);
    }
  }

  /** Counts a document's field out. */
  remove(data: TextFieldData): void {
    this.docCount -= 1;
    this.sumLength -= data.length;
    for (const term of data.positions.keys()) {
      const remaining = (this.docFreq.get(term) ?? 1) - 1;
      if (remaining > 0) this.docFreq.set(term, remaining);
      else {
        this.docFreq.delete(term);
        this.terms.remove(term);
      }
    }
  }

  /** Average field length over the documents that have the field. */
  averageLength(): number {
    return this.docCount === 0 ? 1 : this.sumLength / this.docCount;
  }
}
