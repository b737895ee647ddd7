/** A running {@linkcode startTcpProxy}. */
export interface TcpProxy {
  /** Port the proxy listens on (127.0.0.1). */
  readonly port: number;
  /** Connections proxied so far. */
  readonly accepted: number;
  /**
   * Cut every open connection at once (a broker or database "killed" from the
   * client's point of view). With `refuseMs`, new connections are refused for
   * that long too, then accepted again.
   */
  cut(refuseMs?: number): void;
  /** Stop listening and cut everything. */
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy to `127.0.0.1:targetPort` that a test can cut, to
 * simulate a server going away mid-run without touching the real server.
 *
 * @example
 * ```ts
 * const proxy = startTcpProxy(5672);
 * // connect clients to proxy.port … then:
 * proxy.cut(500);
 * ```
 */
export function startTcpProxy(targetPort: number): TcpProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  let refuseUntil = 0;
  let accepted = 0;
  const pipe = async (from: Deno.Conn, to: Deno.Conn) => {
    try {
      await from.readable.pipeTo(to.writable);
    } catch { /* cut */ }
    for (const c of [from, to]) {
      try {
        c.close();
      } catch { /* closed */ }
      open.delete(c);
    }
  };
  const loop = (async () => {
    for await (const client of listener) {
      if (Date.now() < refuseUntil) {
        client.close();
        continue;
      }
      accepted++;
      let upstream: Deno.Conn;
      try {
        upstream = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
      } catch {
        client.close();
        continue;
      }
      open.add(client);
      open.add(upstream);
      void pipe(client, upstream);
      void pipe(upstream, client);
    }
  })().catch(() => {});
  const cutAll = () => {
    for (const c of open) {
      try {
        c.close();
      } catch { /* closed */ }
    }
    open.clear();
  };
  return {
    port: (listener.addr as Deno.NetAddr).port,
    get accepted() {
      return accepted;
    },
    cut(refuseMs = 0) {
      refuseUntil = Date.now() + refuseMs;
      cutAll();
    },
    async close() {
      listener.close();
      cutAll();
      await loop;
    },
  };
}
