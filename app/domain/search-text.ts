/**
 * Comment search must find "réseau" when staff type "reseau", "ОБЩЕСТВО" for
 * "общество" and "مكتبة" whether or not the vowel marks were written. Both the
 * stored answer and the search words are folded the same way, so the database
 * only needs a plain LIKE (which, unlike a collation, behaves the same on
 * SQLite and PostgreSQL):
 * - compatibility decomposition, then every combining mark removed (Latin
 *   accents, Cyrillic ё → е, Arabic harakat and hamza carriers: أ إ آ → ا);
 * - Arabic tatweel removed, alef maqsura and teh marbuta written as ya and ha,
 *   the usual spelling variants;
 * - lower case.
 * Chinese needs no word splitting: a substring match finds any run of characters.
 */
export function foldForSearch(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/\u0640/g, "")
    .replace(/\u0649/g, "\u064a")
    .replace(/\u0629/g, "\u0647")
    .toLowerCase()
    .normalize("NFC");
}

/** Search input as folded words; every word must occur. */
export function searchWords(query: string): string[] {
  return [
    ...new Set(
      foldForSearch(query)
        .split(/\s+/u)
        .filter((word) => word.length > 0),
    ),
  ].slice(0, 10);
}

/** A LIKE pattern matching `word` anywhere, with LIKE's wildcards taken literally (ESCAPE '\'). */
export function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
