import { EventRejectedError } from "./event_error.ts";

/**
 * Read a request body once, refusing more than `maxBytes` (413) — by its
 * Content-Length before reading, or as soon as the stream passes the limit —
 * and bodies that take longer than `timeoutMs` to arrive (408).
 */
export async function readBodyCapped(
  request: Request,
  maxBytes: number,
  timeoutMs: number,
): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => {});
    throw new EventRejectedError("too_large", `body of ${declared} bytes exceeds ${maxBytes}`);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => {});
  }, timeoutMs);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new EventRejectedError("too_large", `body exceeds ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof EventRejectedError) throw e;
    if (timedOut) throw new EventRejectedError("timeout", `body not received within ${timeoutMs} ms`);
    throw new EventRejectedError("bad_json", "request body could not be read", { cause: e });
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) throw new EventRejectedError("timeout", `body not received within ${timeoutMs} ms`);
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
