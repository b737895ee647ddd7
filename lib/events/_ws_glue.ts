/** Glue between the official SDK's `WSClient` and our code (not exported from the package). */
import type { Logger } from "../log/logger.ts";

/** What the SDK's endpoint discovery told us. */
export interface DiscoveryInfo {
  /** Server's ping interval, ms (`ClientConfig.PingInterval`). */
  pingIntervalMs?: number;
}

/**
 * The SDK's HTTP hook on `fetch`; it is only used for `POST /callback/ws/endpoint`.
 * A non-JSON answer (gateway page) becomes "internal error" so the SDK retries.
 */
export function discoveryHttp(fetchFn: typeof fetch, seen: DiscoveryInfo) {
  return {
    async request(
      o: { method?: string; url: string; data?: unknown; headers?: Record<string, string>; timeout?: number },
    ) {
      const res = await fetchFn(o.url, {
        method: (o.method ?? "post").toUpperCase(),
        headers: { ...o.headers, "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify(o.data ?? {}),
        signal: AbortSignal.timeout(o.timeout ?? 15_000),
      });
      const text = await res.text();
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text);
      } catch { /* not JSON */ }
      if (typeof body.code !== "number") return { code: 1000040343, msg: `HTTP ${res.status}`, data: {} };
      const data = (body.data ?? {}) as { ClientConfig?: { PingInterval?: number } };
      const ping = Number(data.ClientConfig?.PingInterval);
      if (Number.isFinite(ping) && ping > 0) seen.pingIntervalMs = ping * 1000;
      return { ...body, data };
    },
  };
}

/**
 * The SDK's logger interface on ours. Connect URLs lose their query (it carries
 * a ticket); debug lines (which include event payloads) are dropped; trace
 * lines only feed `onTrace` (used to notice pongs).
 */
export function sdkLogger(log: Logger, onTrace: (line: string) => void) {
  const line = (msg: unknown[]) =>
    msg.map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : JSON.stringify(m)))
      .join(" ")
      .replace(/(wss?:\/\/[^\s?]+)\?\S*/g, "$1?…");
  return {
    error: (...m: unknown[]) => log.warn("ws.sdk", { message: line(m) }),
    warn: (...m: unknown[]) => log.warn("ws.sdk", { message: line(m) }),
    info: (...m: unknown[]) => log.debug("ws.sdk", { message: line(m) }),
    debug: () => {},
    trace: (...m: unknown[]) => onTrace(line(m)),
  };
}
