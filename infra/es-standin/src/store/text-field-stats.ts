import type { TextFieldData } from '../mapping/document-fields.js';

/** Collection statistics of one text field, kept up to date as documents come and go (for BM25). */
export class TextFieldStats {
  docCount = 0;
  sumLength = 0;
  readonly docFreq = new Map<string, number>();

  /** Counts a document's field in. */
  add(data: TextFieldData): void {
    this.docCount += 1;
    this.sumLength += data.length;
    for (const term of data.positions.keys()) this.docFreq.set(term, (this.docFreq.get(term) ?? 0) + 1);
  }

  /** Counts a document's field out. */
  remove(data: TextFieldData): void {
    this.docCount -= 1;
    this.sumLength -= data.length;
    for (const term of data.positions.keys()) {
      const remaining = (this.docFreq.get(term) ?? 1) - 1;
      if (remaining > 0) this.docFreq.set(term, remaining);
      else this.docFreq.delete(term);
    }
  }

  /** Average field length over the documents that have the field. */
  averageLength(): number {
    return this.docCount === 0 ? 1 : this.sumLength / this.docCount;
  }
}
