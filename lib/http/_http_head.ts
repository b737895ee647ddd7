const HEAD_END = new Uint8Array([13, 10, 13, 10]);
const HOP_BY_HOP = /^(connection|keep-alive|proxy-connection|upgrade|te|trailer)\s*:/i;

/** Read up to the end of the head; the head rewritten with `Connection: close`, plus the bytes after it. */
export async function readHead(
  conn: Deno.Conn,
  maxHead: number,
): Promise<{ head: Uint8Array; rest: Uint8Array } | "too_large" | undefined> {
  let buf = new Uint8Array(0);
  const chunk = new Uint8Array(4096);
  for (;;) {
    const n = await conn.read(chunk);
    if (n === null) return undefined;
    const next = new Uint8Array(buf.length + n);
    next.set(buf);
    next.set(chunk.subarray(0, n), buf.length);
    buf = next;
    const end = indexOf(buf, HEAD_END);
    if (end >= 0) {
      if (end > maxHead) return "too_large";
      const text = new TextDecoder("latin1").decode(buf.subarray(0, end));
      const lines = text.split("\r\n").filter((l, i) => i === 0 || !HOP_BY_HOP.test(l));
      lines.push("connection: close");
      const head = Uint8Array.from(lines.join("\r\n") + "\r\n\r\n", (c) => c.charCodeAt(0) & 0xff);
      return { head, rest: buf.subarray(end + 4) };
    }
    if (buf.length > maxHead) return "too_large";
  }
}

/** Where `needle` starts in `haystack` (-1: nowhere). */
function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Write all of `data` (text as UTF-8). */
export async function writeAll(conn: Deno.Conn, data: string | Uint8Array): Promise<void> {
  let bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  while (bytes.length) bytes = bytes.subarray(await conn.write(bytes));
}
