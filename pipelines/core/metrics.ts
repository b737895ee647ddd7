/** Latency bucket bounds, ms (Prometheus-style `le`). */
const BOUNDS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

interface RouteStats {
  count: number;
  errors: number;
  sumMs: number;
  maxMs: number;
  buckets: number[];
  byStatus: Map<number, number>;
}

/**
 * Request and latency counters of the core service, per route, plus named
 * counters (callbacks queued, handled, duplicates, degraded…). Exposed as
 * JSON and as Prometheus text.
 */
export class CoreMetrics {
  readonly #routes = new Map<string, RouteStats>();
  readonly #counters = new Map<string, number>();
  readonly #started = Date.now();

  /** Record one request. */
  observe(route: string, status: number, ms: number): void {
    let s = this.#routes.get(route);
    if (!s) {
      s = { count: 0, errors: 0, sumMs: 0, maxMs: 0, buckets: BOUNDS.map(() => 0), byStatus: new Map() };
      this.#routes.set(route, s);
    }
    s.count++;
    if (status >= 500) s.errors++;
    s.sumMs += ms;
    s.maxMs = Math.max(s.maxMs, ms);
    BOUNDS.forEach((b, i) => {
      if (ms <= b) s.buckets[i]++;
    });
    s.byStatus.set(status, (s.byStatus.get(status) ?? 0) + 1);
  }

  /** Add `n` to counter `name`. */
  count(name: string, n = 1): void {
    this.#counters.set(name, (this.#counters.get(name) ?? 0) + n);
  }

  /** Value of counter `name`. */
  counter(name: string): number {
    return this.#counters.get(name) ?? 0;
  }

  /** Everything as JSON. */
  toJSON(): Record<string, unknown> {
    const routes: Record<string, unknown> = {};
    for (const [route, s] of this.#routes) {
      routes[route] = {
        count: s.count,
        errors_5xx: s.errors,
        avg_ms: s.count ? Math.round((s.sumMs / s.count) * 100) / 100 : 0,
        max_ms: Math.round(s.maxMs * 100) / 100,
        by_status: Object.fromEntries(s.byStatus),
      };
    }
    return {
      uptime_s: Math.round((Date.now() - this.#started) / 1000),
      routes,
      counters: Object.fromEntries(this.#counters),
    };
  }

  /** Prometheus text exposition. */
  toPrometheus(): string {
    const lines = [
      "# HELP feishu_core_requests_total Requests answered, by route and status.",
      "# TYPE feishu_core_requests_total counter",
    ];
    for (const [route, s] of this.#routes) {
      for (const [status, n] of s.byStatus) {
        lines.push(`feishu_core_requests_total{route="${esc(route)}",status="${status}"} ${n}`);
      }
    }
    lines.push(
      "# HELP feishu_core_request_duration_ms Request latency, ms.",
      "# TYPE feishu_core_request_duration_ms histogram",
    );
    for (const [route, s] of this.#routes) {
      BOUNDS.forEach((b, i) =>
        lines.push(`feishu_core_request_duration_ms_bucket{route="${esc(route)}",le="${b}"} ${s.buckets[i]}`)
      );
      lines.push(`feishu_core_request_duration_ms_bucket{route="${esc(route)}",le="+Inf"} ${s.count}`);
      lines.push(`feishu_core_request_duration_ms_sum{route="${esc(route)}"} ${s.sumMs.toFixed(3)}`);
      lines.push(`feishu_core_request_duration_ms_count{route="${esc(route)}"} ${s.count}`);
    }
    lines.push(
      "# HELP feishu_core_events_total Named service events.",
      "# TYPE feishu_core_events_total counter",
    );
    for (const [name, n] of this.#counters) lines.push(`feishu_core_events_total{name="${esc(name)}"} ${n}`);
    return lines.join("\n") + "\n";
  }
}

function esc(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
