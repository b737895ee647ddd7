/**
 * The readable text of an IM message's content (internal): `text` →
 * `content.text`; `post` and `interactive` (cards) → every text-like string
 * in the content, one per line. Other types have no text.
 *
 * ASSUMPTION: how the list API renders a received card is not documented in
 * the facts file; collecting `text`/`content`/`title` strings works for the
 * degraded `{title, elements}` shape and for raw card JSON.
 *
 * @module
 */

/** Text of a message with `msgType` and parsed `content`, or `undefined`. */
export function messageText(msgType: string, content: Record<string, unknown>): string | undefined {
  if (msgType === "text") return typeof content.text === "string" ? content.text : undefined;
  if (msgType !== "post" && msgType !== "interactive") return undefined;
  const parts: string[] = [];
  collect(content, parts, 0);
  return parts.length ? parts.join("\n") : undefined;
}

const TEXT_KEYS = new Set(["text", "content", "title"]);

function collect(v: unknown, out: string[], depth: number): void {
  if (depth > 20 || v === null || typeof v !== "object") return;
  if (Array.isArray(v)) {
    for (const x of v) collect(x, out, depth + 1);
    return;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x === "string") {
      if (TEXT_KEYS.has(k) && x.trim() !== "") out.push(x);
    } else {
      collect(x, out, depth + 1);
    }
  }
}
