/**
 * Prefix of a text value stored in escaped form. A value that starts with it is always
 * escaped too, so decoding is unambiguous.
 */
const MARK = "\u0001~";

/**
 * True when `node:sqlite` hands `text` back exactly as given: no NUL (it cuts the text
 * there on reading) and well-formed UTF-16 (a lone surrogate becomes U+FFFD on writing, so
 * two different values could collide).
 */
export function isSqliteSafeText(text: string): boolean {
  return !text.includes("\u0000") && text.isWellFormed();
}

/**
 * The form of `text` to store in a SQLite TEXT column: the text itself when SQLite keeps
 * it exactly ({@linkcode isSqliteSafeText}, the usual case, so old databases and plain SQL
 * keep working), else an escaped form (`\u0001~` + a JSON string literal, pure ASCII
 * escapes for NUL and lone surrogates). Different texts never share a stored form.
 */
export function encodeSqliteText(text: string): string {
  if (isSqliteSafeText(text) && !text.startsWith(MARK)) return text;
  return MARK + JSON.stringify(text);
}

/** The text stored as `stored` by {@linkcode encodeSqliteText}. */
export function decodeSqliteText(stored: string): string {
  if (!stored.startsWith(MARK)) return stored;
  try {
    const v = JSON.parse(stored.slice(MARK.length));
    return typeof v === "string" ? v : stored;
  } catch {
    return stored;
  }
}
