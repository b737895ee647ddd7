/** Options of {@linkcode serveGuarded}. */
export interface ServeGuardedOptions {
  /** Address to listen on (e.g. `127.0.0.1`, `0.0.0.0`). */
  hostname: string;
  /** Port (0 = any free one). */
  port: number;
  /** Aborting stops the server (same as {@linkcode GuardedServer.shutdown}). */
  signal?: AbortSignal;
  /** Called once listening. */
  onListen?: (addr: Deno.NetAddr) => void;
  /** Connections open at once (default 256). Beyond it the oldest one still sending its headers is dropped. */
  maxConnections?: number;
  /** Time for a request's line and headers to arrive, ms (default 10 000; then the connection is closed). */
  headerTimeoutMs?: number;
  /** Largest request head, bytes (default 16 384 → 431). */
  maxHeaderBytes?: number;
  /** Longest life of one connection, ms (default 300 000). */
  connectionTimeoutMs?: number;
}

/** Counters of a {@linkcode GuardedServer}. */
export interface GuardedServerStats {
  /** Connections open now. */
  active: number;
  /** Connections accepted so far. */
  accepted: number;
  /** Connections closed because their headers did not arrive in time. */
  headerTimeouts: number;
  /** Connections dropped (still sending headers) to make room for a new one. */
  evicted: number;
  /** Connections refused because every slot held a request in progress. */
  refused: number;
  /** Heads too large (431). */
  tooLarge: number;
}

/** A running {@linkcode serveGuarded} server. */
export interface GuardedServer {
  /** Where it listens. */
  readonly addr: Deno.NetAddr;
  /** Counters. */
  readonly stats: Readonly<GuardedServerStats>;
  /** Resolves once the server stopped. */
  readonly finished: Promise<void>;
  /** Stop accepting, close every connection and the inner server. */
  shutdown(): Promise<void>;
}

interface Slot {
  conn: Deno.Conn;
  phase: "head" | "piped";
  since: number;
}

const HEAD_END = new Uint8Array([13, 10, 13, 10]);
const HOP_BY_HOP = /^(connection|keep-alive|proxy-connection|upgrade|te|trailer)\s*:/i;

/**
 * `Deno.serve` behind a small TCP front that bounds what a slow or hostile
 * client can hold (`Deno.serve` has no header timeout): each connection must
 * deliver its request line and headers within `headerTimeoutMs`, heads are
 * capped at `maxHeaderBytes`, at most `maxConnections` are open at once (a new
 * connection displaces the oldest one still trickling its headers, so a
 * slowloris flood cannot lock out a real request) and each carries one request
 * (`Connection: close` is set on the head passed on), then the inner
 * `Deno.serve` (on 127.0.0.1, any port) answers it with `handler`.
 *
 * @example
 * ```ts
 * const server = serveGuarded({ hostname: "127.0.0.1", port: 29090 }, () => new Response("ok"));
 * await server.shutdown();
 * ```
 */
export function serveGuarded(
  options: ServeGuardedOptions,
  handler: (request: Request) => Response | Promise<Response>,
): GuardedServer {
  const max = options.maxConnections ?? 256;
  const headerMs = options.headerTimeoutMs ?? 10_000;
  const maxHead = options.maxHeaderBytes ?? 16_384;
  const lifeMs = options.connectionTimeoutMs ?? 300_000;
  const inner = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const addr = listener.addr as Deno.NetAddr;
  const slots = new Set<Slot>();
  const stats: GuardedServerStats = {
    active: 0,
    accepted: 0,
    headerTimeouts: 0,
    evicted: 0,
    refused: 0,
    tooLarge: 0,
  };
  let closed = false;

  const makeRoom = (): boolean => {
    if (slots.size < max) return true;
    let oldest: Slot | undefined;
    for (const s of slots) if (s.phase === "head" && (!oldest || s.since < oldest.since)) oldest = s;
    if (!oldest) return false;
    stats.evicted++;
    drop(oldest);
    return true;
  };
  const drop = (slot: Slot) => {
    if (!slots.delete(slot)) return;
    stats.active = slots.size;
    try {
      slot.conn.close();
    } catch { /* already closed */ }
  };

  const serveOne = async (slot: Slot) => {
    const life = setTimeout(() => drop(slot), lifeMs);
    const headTimer = setTimeout(() => {
      if (slot.phase === "head" && slots.has(slot)) {
        stats.headerTimeouts++;
        drop(slot);
      }
    }, headerMs);
    let backend: Deno.Conn | undefined;
    try {
      const head = await readHead(slot.conn, maxHead);
      clearTimeout(headTimer);
      if (head === "too_large") {
        stats.tooLarge++;
        await writeAll(
          slot.conn,
          "HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
        );
        return;
      }
      if (!head) return;
      slot.phase = "piped";
      backend = await Deno.connect({ hostname: "127.0.0.1", port: inner.addr.port });
      (backend as Deno.TcpConn).setNoDelay(true);
      const first = new Uint8Array(head.head.length + head.rest.length);
      first.set(head.head);
      first.set(head.rest, head.head.length);
      await writeAll(backend, first);
      const up = slot.conn.readable.pipeTo(backend.writable, { preventClose: true }).catch(() => {});
      await backend.readable.pipeTo(slot.conn.writable, { preventClose: true }).catch(() => {});
      void up;
    } catch {
      // A peer that went away: nothing to answer.
    } finally {
      clearTimeout(headTimer);
      clearTimeout(life);
      try {
        backend?.close();
      } catch { /* closed */ }
      drop(slot);
    }
  };

  const acceptLoop = (async () => {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        return;
      }
      if (closed) {
        conn.close();
        return;
      }
      stats.accepted++;
      if (!makeRoom()) {
        stats.refused++;
        void writeAll(
          conn,
          "HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
        )
          .catch(() => {}).finally(() => {
            try {
              conn.close();
            } catch { /* closed */ }
          });
        continue;
      }
      (conn as Deno.TcpConn).setNoDelay?.(true);
      const slot: Slot = { conn, phase: "head", since: performance.now() };
      slots.add(slot);
      stats.active = slots.size;
      void serveOne(slot);
    }
  })();

  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      closed = true;
      try {
        listener.close();
      } catch { /* closed */ }
      for (const s of [...slots]) drop(s);
      await acceptLoop;
      await inner.shutdown();
    })();
    return stopping;
  };
  options.signal?.addEventListener("abort", () => void shutdown(), { once: true });
  if (options.signal?.aborted) void shutdown();
  options.onListen?.(addr);
  const finished = (async () => {
    await acceptLoop;
    await shutdown();
  })();
  return { addr, stats, finished, shutdown };
}

/** Read up to the end of the head; the head rewritten with `Connection: close`, plus the bytes after it. */
async function readHead(
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

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

async function writeAll(conn: Deno.Conn, data: string | Uint8Array): Promise<void> {
  let bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  while (bytes.length) bytes = bytes.subarray(await conn.write(bytes));
}
