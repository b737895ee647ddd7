/**
 * In-process fallback load generator for `webhook_bench.ts`, run as a Worker
 * (its own thread) so it does not share the server's event loop. Posts the
 * pre-built signed requests with bounded concurrency and reports latencies.
 *
 * @module
 */

interface Job {
  url: string;
  lines: string[];
  concurrency: number;
  durationMs: number;
}

/** The worker's global scope, typed without pulling the worker lib into the main program's check. */
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<Job>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = async (e: MessageEvent<Job>) => {
  const { url, lines, concurrency, durationMs } = e.data;
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const end = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const line = lines[next++ % lines.length];
      const [timestamp, nonce, signature, body] = line.split("\t");
      const t0 = performance.now();
      const res = await fetch(url, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "x-lark-request-timestamp": timestamp,
          "x-lark-request-nonce": nonce,
          "x-lark-signature": signature,
        },
      });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - t0;
  scope.postMessage({ latencies, statuses, elapsedMs, sent: next });
};
