/** Options of {@linkcode slowHeaderFlood}. */
export interface SlowHeaderFloodOptions {
  /** Server port on 127.0.0.1. */
  port: number;
  /** Connections to open. */
  connections: number;
  /** Pause between header lines, ms (default 50). */
  intervalMs?: number;
}

/** A running flood: which connections the server still holds, and how to end it. */
export interface SlowHeaderFlood {
  /** Indexes of the connections the server has not closed yet. */
  readonly open: ReadonlySet<number>;
  /** Connections actually opened. */
  readonly opened: number;
  /** Stop trickling and close every connection. */
  end(): Promise<void>;
}

/**
 * A slowloris client for tests and benchmarks (loopback only): opens
 * `connections` connections to 127.0.0.1, sends a request line, then one more
 * header line per connection every `intervalMs`, never the blank line that
 * ends the head. A connection the server closes leaves {@linkcode SlowHeaderFlood.open}.
 *
 * @example
 * ```ts
 * const flood = await slowHeaderFlood({ port: 29090, connections: 100 });
 * // … measure the server …
 * await flood.end();
 * ```
 */
export async function slowHeaderFlood(o: SlowHeaderFloodOptions): Promise<SlowHeaderFlood> {
  const enc = new TextEncoder();
  const conns: Deno.Conn[] = [];
  const open = new Set<number>();
  for (let i = 0; i < o.connections; i++) {
    let c: Deno.Conn;
    try {
      c = await Deno.connect({ hostname: "127.0.0.1", port: o.port });
      await c.write(enc.encode(`POST /slow-${i} HTTP/1.1\r\nHost: 127.0.0.1\r\n`));
    } catch {
      break;
    }
    conns.push(c);
    open.add(i);
    // Any answer or end of stream means the server let go of it.
    c.read(new Uint8Array(64)).then(() => open.delete(i), () => open.delete(i));
  }
  let stop = false;
  const trickle = (async () => {
    for (let k = 0; !stop; k++) {
      for (const [i, c] of conns.entries()) {
        if (open.has(i)) await c.write(enc.encode(`X-Slow-${k}: 1\r\n`)).catch(() => open.delete(i));
      }
      await new Promise((r) => setTimeout(r, o.intervalMs ?? 50));
    }
  })();
  return {
    open,
    opened: conns.length,
    async end() {
      stop = true;
      await trickle;
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed by the server */ }
      }
    },
  };
}
