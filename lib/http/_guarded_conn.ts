import type { GuardedServerStats } from "./serve_guarded.ts";
import { readHead, writeAll } from "./_http_head.ts";

/** One accepted connection: still sending its head, or piped to the inner server. */
export interface Slot {
  conn: Deno.Conn;
  phase: "head" | "piped";
  since: number;
}

/** Time limits of one connection. */
export interface ConnectionLimits {
  /** For the request line and headers, ms. */
  headerMs: number;
  /** Largest head, bytes. */
  maxHead: number;
  /** Longest life, ms. */
  lifeMs: number;
}

/**
 * The open connections, at most `max`: room for a new one is made by dropping the oldest
 * connection still sending its head (a slowloris flood cannot lock out a real request).
 */
export class ConnectionSlots {
  readonly stats: GuardedServerStats = {
    active: 0,
    accepted: 0,
    headerTimeouts: 0,
    evicted: 0,
    refused: 0,
    tooLarge: 0,
  };
  readonly #slots = new Set<Slot>();
  readonly #max: number;
  #closed = false;

  constructor(max: number) {
    this.#max = max;
  }

  /** No more connections are taken. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether `slot` is still open. */
  has(slot: Slot): boolean {
    return this.#slots.has(slot);
  }

  /** Take `conn`, making room when full; `undefined` when every slot holds a request in progress. */
  take(conn: Deno.Conn): Slot | undefined {
    this.stats.accepted++;
    if (!this.#makeRoom()) {
      this.stats.refused++;
      return undefined;
    }
    const slot: Slot = { conn, phase: "head", since: performance.now() };
    this.#slots.add(slot);
    this.stats.active = this.#slots.size;
    return slot;
  }

  /** Close the connection of `slot` (once). */
  drop(slot: Slot): void {
    if (!this.#slots.delete(slot)) return;
    this.stats.active = this.#slots.size;
    try {
      slot.conn.close();
    } catch { /* already closed */ }
  }

  /** Take no more connections and close every open one. */
  close(): void {
    this.#closed = true;
    for (const s of [...this.#slots]) this.drop(s);
  }

  #makeRoom(): boolean {
    if (this.#slots.size < this.#max) return true;
    let oldest: Slot | undefined;
    for (const s of this.#slots) if (s.phase === "head" && (!oldest || s.since < oldest.since)) oldest = s;
    if (!oldest) return false;
    this.stats.evicted++;
    this.drop(oldest);
    return true;
  }
}

/** Accept connections until the listener closes; each taken one goes to `serve`, the others get a 503. */
export async function acceptConnections(
  listener: Deno.Listener,
  slots: ConnectionSlots,
  serve: (slot: Slot) => Promise<void>,
): Promise<void> {
  for (;;) {
    let conn: Deno.Conn;
    try {
      conn = await listener.accept();
    } catch {
      return;
    }
    if (slots.closed) {
      conn.close();
      return;
    }
    const slot = slots.take(conn);
    if (!slot) {
      refuse(conn);
      continue;
    }
    (conn as Deno.TcpConn).setNoDelay?.(true);
    void serve(slot);
  }
}

/** Answer 503 and close, in the background. */
function refuse(conn: Deno.Conn): void {
  void writeAll(conn, "HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n")
    .catch(() => {}).finally(() => {
      try {
        conn.close();
      } catch { /* closed */ }
    });
}

/**
 * Serve one connection: read its head within `headerMs` (431 when too large), then pipe it
 * (head rewritten with `Connection: close`) to the inner server on `port` and the answer back.
 */
export async function pipeToInner(
  slot: Slot,
  slots: ConnectionSlots,
  port: number,
  limits: ConnectionLimits,
): Promise<void> {
  const life = setTimeout(() => slots.drop(slot), limits.lifeMs);
  const headTimer = setTimeout(() => {
    if (slot.phase === "head" && slots.has(slot)) {
      slots.stats.headerTimeouts++;
      slots.drop(slot);
    }
  }, limits.headerMs);
  let backend: Deno.Conn | undefined;
  try {
    const head = await readHead(slot.conn, limits.maxHead);
    clearTimeout(headTimer);
    if (head === "too_large") {
      slots.stats.tooLarge++;
      await writeAll(
        slot.conn,
        "HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
      );
      return;
    }
    if (!head) return;
    slot.phase = "piped";
    backend = await Deno.connect({ hostname: "127.0.0.1", port });
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
    slots.drop(slot);
  }
}
