/**
 * Working arrays by document number, kept between queries so a query's cost follows the documents it touches, not
 * the highest document number (which grows with every write). Scoring runs synchronously to completion, so one set
 * serves one scoring step at a time; each step resets the entries it touched before it returns.
 */
export class ScoreScratch {
  /** Running sums by document (zero between uses). */
  sums = new Float64Array(0);
  /** Partial values by document (valid only where `marks` says so). */
  partials = new Float64Array(0);
  /** Counts by document (zero between uses). */
  counts = new Uint32Array(0);
  /** Markers by document (zero between uses). */
  marks = new Int32Array(0);

  /** The arrays, grown to hold document numbers below `size`. */
  ensure(size: number): this {
    if (size <= this.sums.length) return this;
    const grown = Math.max(size, this.sums.length * 2, 1024);
    this.sums = new Float64Array(grown);
    this.partials = new Float64Array(grown);
    this.counts = new Uint32Array(grown);
    this.marks = new Int32Array(grown);
    return this;
  }
}
