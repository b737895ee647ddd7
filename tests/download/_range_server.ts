/**
 * A local HTTP/1.1 file server on a raw TCP listener (so a test can really cut
 * the connection mid-body), with Range support and fault injection. Not a test
 * file itself. It stays beside the sandbox (whose media link honours Range
 * faithfully) because the downloader must survive servers that misbehave in
 * ways Feishu's CDN is not known to: ignoring Range, a 206 from the wrong
 * offset, a changed ETag, stalls without a close, JSON errors with HTTP 200.
 */

/** Byte `i` of the served file. */
export function byteAt(i: number): number {
  return (i * 7 + (i >> 8)) & 255;
}

/** Check that `data` is bytes 0..n of the served file. */
export function matchesPattern(data: Uint8Array): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] !== byteAt(i)) return false;
  return true;
}

/** One request as seen by the server. */
export interface SeenRequest {
  path: string;
  range?: string;
  ifRange?: string;
  authorization?: string;
}

/** Behaviour switches; tests change them between or during downloads. */
export interface ServerPlan {
  /** File size served. */
  size: number;
  /** Close the connection after this many body bytes, for the next `cuts` responses. */
  cutAfter?: number;
  cuts?: number;
  /** Send this many body bytes then hang without closing, for the next `stalls` responses. */
  stallAfter?: number;
  stalls?: number;
  /** Answer 200 with the whole file even when a Range is asked. */
  ignoreRange?: boolean;
  /** Answer 206 starting at 0 whatever Range is asked. */
  wrongRangeStart?: boolean;
  /** Paths answering 403 (e.g. an expired signed URL). */
  expired?: Set<string>;
  /** Paths answering 200 with a JSON error instead of the file. */
  jsonError?: Set<string>;
  /** Answer 503 for the next `unavailable` requests. */
  unavailable?: number;
  /** ETag sent with the file. */
  etag?: string;
}

const enc = new TextEncoder();

/** Serves `/file*` (any suffix) and `/redirect` (302 → `/file`) on 127.0.0.1:0. */
export class RangeServer {
  readonly seen: SeenRequest[] = [];
  readonly plan: ServerPlan;
  #listener: Deno.Listener<Deno.TcpConn, Deno.NetAddr>;
  #conns = new Set<Deno.Conn>();
  #loop: Promise<void>;

  constructor(plan: ServerPlan) {
    this.plan = plan;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#loop = this.#accept();
  }

  /** Base URL. */
  get base(): string {
    return `http://127.0.0.1:${this.#listener.addr.port}`;
  }

  /** Stop listening and drop every connection. */
  async close(): Promise<void> {
    this.#listener.close();
    for (const c of this.#conns) closeQuietly(c);
    await this.#loop;
  }

  async #accept(): Promise<void> {
    const served: Promise<void>[] = [];
    try {
      for await (const conn of this.#listener) {
        this.#conns.add(conn);
        served.push(
          this.#serve(conn).catch(() => {}).finally(() => {
            this.#conns.delete(conn);
            closeQuietly(conn);
          }),
        );
      }
    } catch { /* listener closed */ }
    await Promise.all(served);
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    const head = await readHead(conn);
    if (!head) return;
    const [requestLine, ...lines] = head.split("\r\n");
    const target = requestLine.split(" ")[1] ?? "/";
    const headers = new Map<string, string>();
    for (const l of lines) {
      const i = l.indexOf(":");
      if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
    }
    const url = new URL(target, "http://x");
    const p = this.plan;
    this.seen.push({
      path: url.pathname + url.search,
      range: headers.get("range"),
      ifRange: headers.get("if-range"),
      authorization: headers.get("authorization"),
    });
    const key = url.pathname + url.search;
    if (url.pathname === "/redirect") return await reply(conn, 302, { location: `/file${url.search}` });
    if (!url.pathname.startsWith("/file")) return await reply(conn, 404, {}, "nope");
    if (p.expired?.has(key)) return await reply(conn, 403, {}, "<Error>AccessDenied</Error>");
    if (p.jsonError?.has(key)) {
      return await reply(
        conn,
        200,
        { "content-type": "application/json" },
        '{"code":2091005,"msg":"expired"}',
      );
    }
    if (p.unavailable && p.unavailable > 0) {
      p.unavailable--;
      return await reply(conn, 503, {}, "busy");
    }
    const m = /^bytes=(\d+)-$/.exec(headers.get("range") ?? "");
    const ifRange = headers.get("if-range");
    const rangeOk = !!m && !p.ignoreRange && (!ifRange || ifRange === p.etag);
    const start = rangeOk ? (p.wrongRangeStart ? 0 : Number(m![1])) : 0;
    if (rangeOk && start >= p.size) return await reply(conn, 416, { "content-range": `bytes */${p.size}` });
    const h: Record<string, string> = {
      "content-type": "video/mp4",
      "content-length": String(p.size - start),
      "accept-ranges": "bytes",
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent("周会.mp4")}`,
    };
    if (p.etag) h.etag = p.etag;
    if (rangeOk) h["content-range"] = `bytes ${start}-${p.size - 1}/${p.size}`;
    let stopAt = p.size;
    let mode: "cut" | "stall" | "full" = "full";
    if (p.cuts && p.cuts > 0 && p.cutAfter !== undefined) {
      p.cuts--;
      stopAt = Math.min(p.size, start + p.cutAfter);
      mode = "cut";
    } else if (p.stalls && p.stalls > 0 && p.stallAfter !== undefined) {
      p.stalls--;
      stopAt = Math.min(p.size, start + p.stallAfter);
      mode = "stall";
    }
    await writeAll(conn, enc.encode(statusHead(rangeOk ? 206 : 200, h)));
    for (let pos = start; pos < stopAt;) {
      const end = Math.min(stopAt, pos + 64 * 1024);
      const chunk = new Uint8Array(end - pos);
      for (let i = 0; i < chunk.length; i++) chunk[i] = byteAt(pos + i);
      await writeAll(conn, chunk);
      pos = end;
    }
    if (mode === "stall") await new Promise<void>((r) => this.#waitClosed(conn, r));
  }

  #waitClosed(conn: Deno.Conn, done: () => void) {
    const check = () => (this.#conns.has(conn) ? setTimeout(check, 20) : done());
    // The client aborts (its read fails) or the server closes: either way the read returns.
    conn.read(new Uint8Array(1)).then(done, done);
    check();
  }
}

function statusHead(status: number, headers: Record<string, string>): string {
  const lines = [`HTTP/1.1 ${status} X`, "connection: close"];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return lines.join("\r\n") + "\r\n\r\n";
}

async function reply(conn: Deno.Conn, status: number, headers: Record<string, string>, body = "") {
  const bytes = enc.encode(body);
  await writeAll(
    conn,
    enc.encode(statusHead(status, { ...headers, "content-length": String(bytes.length) })),
  );
  await writeAll(conn, bytes);
}

async function writeAll(conn: Deno.Conn, data: Uint8Array) {
  let off = 0;
  while (off < data.length) off += await conn.write(data.subarray(off));
}

async function readHead(conn: Deno.Conn): Promise<string | undefined> {
  const buf = new Uint8Array(16 * 1024);
  let n = 0;
  while (n < buf.length) {
    const r = await conn.read(buf.subarray(n));
    if (r === null) return undefined;
    n += r;
    const text = new TextDecoder().decode(buf.subarray(0, n));
    const end = text.indexOf("\r\n\r\n");
    if (end >= 0) return text.slice(0, end);
  }
  return undefined;
}

function closeQuietly(conn: Deno.Conn) {
  try {
    conn.close();
  } catch { /* closed */ }
}
