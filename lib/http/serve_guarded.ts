import { acceptConnections, ConnectionSlots, pipeToInner } from "./_guarded_conn.ts";

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
  const limits = {
    headerMs: options.headerTimeoutMs ?? 10_000,
    maxHead: options.maxHeaderBytes ?? 16_384,
    lifeMs: options.connectionTimeoutMs ?? 300_000,
  };
  const inner = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const slots = new ConnectionSlots(options.maxConnections ?? 256);
  const acceptLoop = acceptConnections(
    listener,
    slots,
    (slot) => pipeToInner(slot, slots, inner.addr.port, limits),
  );
  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      slots.close();
      try {
        listener.close();
      } catch { /* closed */ }
      await acceptLoop;
      await inner.shutdown();
    })();
    return stopping;
  };
  options.signal?.addEventListener("abort", () => void shutdown(), { once: true });
  if (options.signal?.aborted) void shutdown();
  const addr = listener.addr as Deno.NetAddr;
  options.onListen?.(addr);
  const finished = acceptLoop.then(shutdown);
  return { addr, stats: slots.stats, finished, shutdown };
}
