type CodePointRange = readonly [number, number];

/** RFC 3454 table C.1.2, non-ASCII spaces: SASLprep maps them to U+0020. */
const NON_ASCII_SPACES: CodePointRange[] = [[0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200b], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000]];
/** RFC 3454 table B.1, mapped to nothing: soft hyphen, joiners, variation selectors, byte-order mark. */
const MAPPED_TO_NOTHING: CodePointRange[] = [[0xad, 0xad], [0x34f, 0x34f], [0x1806, 0x1806], [0x180b, 0x180d], [0x200c, 0x200d], [0x2060, 0x2060], [0xfe00, 0xfe0f], [0xfeff, 0xfeff]];
/** Prohibited output (RFC 4013 section 2.3): controls, private use, non-characters, surrogates, display and tagging characters. */
const PROHIBITED: CodePointRange[] = [
  [0x00, 0x1f], [0x7f, 0x9f], [0x340, 0x341], [0x6dd, 0x6dd], [0x70f, 0x70f], [0x180e, 0x180e], [0x200e, 0x200f],
  [0x2028, 0x202e], [0x2060, 0x2063], [0x206a, 0x206f], [0xd800, 0xdfff], [0xe000, 0xf8ff], [0xfdd0, 0xfdef],
  [0xfff9, 0xfffd], [0xfffe, 0xffff], [0x1d173, 0x1d17a], [0xe0001, 0xe0001], [0xe0020, 0xe007f], [0xf0000, 0x10ffff],
];

function within(codePoint: number, ranges: readonly CodePointRange[]): boolean {
  return ranges.some(([first, last]) => codePoint >= first && codePoint <= last);
}

function mapCharacter(character: string): string {
  const codePoint = character.codePointAt(0) as number;
  if (within(codePoint, NON_ASCII_SPACES)) return ' ';
  return within(codePoint, MAPPED_TO_NOTHING) ? '' : character;
}

/**
 * Prepares a password as SASLprep (RFC 4013) does before SCRAM-SHA-256 hashes it: maps spaces and
 * ignorable characters, normalizes to NFKC and refuses prohibited code points (bidi rules are not checked).
 */
export function saslPrepare(password: string): string {
  const prepared = Array.from(password, mapCharacter).join('').normalize('NFKC');
  if (Array.from(prepared).some((character) => within(character.codePointAt(0) as number, PROHIBITED))) {
    throw new Error('password contains a character SASLprep prohibits');
  }
  if (prepared.length === 0) throw new Error('password is empty after SASLprep');
  return prepared;
}
