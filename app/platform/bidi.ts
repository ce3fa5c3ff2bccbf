/**
 * Wraps text from another script (an email address, a name, a code) in
 * Unicode's first-strong isolate (U+2068 … U+2069), the plain-text form of
 * <bdi>: inside an Arabic sentence "a.b@example.org" otherwise reorders into
 * pieces. Works in pages, placeholders and plain-text emails alike.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
