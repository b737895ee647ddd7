/**
 * Slow-header flood against the meeting service's HTTP front (issue 7 §2):
 * `Deno.serve` alone (baseline) and `serveGuarded` (header timeout 2 s, at most
 * 256 connections), each flooded with N connections that trickle one header
 * line every 500 ms and never finish. Prints the answer time of 20 webhook-like
 * POSTs during the flood and how many flood connections the server still holds
 * after 5 s. Loopback only; figures, no assertions.
 */
import { serveGuarded } from "../lib/http/serve_guarded.ts";
import { slowHeaderFlood } from "../lib/testing/slow_header_flood.ts";

const handler = async (req: Request) => {
  await req.arrayBuffer();
  return new Response("{}", { headers: { "content-type": "application/json" } });
};

async function measure(kind: string, n: number) {
  let port: number;
  let close: () => Promise<void>;
  if (kind === "Deno.serve") {
    const s = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
    port = s.addr.port;
    close = () => s.shutdown();
  } else {
    const s = serveGuarded({ hostname: "127.0.0.1", port: 0, headerTimeoutMs: 2000 }, handler);
    port = s.addr.port;
    close = () => s.shutdown();
  }
  const f = await slowHeaderFlood({ port, connections: n, intervalMs: 500 });
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    try {
      const res = await fetch(`http://127.0.0.1:${port}/webhook/event`, {
        method: "POST",
        body: "{}",
        signal: AbortSignal.timeout(3000),
      });
      await res.arrayBuffer();
      if (res.status !== 200) errors++;
    } catch {
      errors++;
    }
    times.push(performance.now() - t0);
  }
  await new Promise((r) => setTimeout(r, 5000));
  const held = f.open.size;
  await f.end();
  await close();
  times.sort((a, b) => a - b);
  console.log(
    `${kind.padEnd(12)} flood=${String(n).padStart(4)}  ack p50=${times[10].toFixed(1)} ms  max=${
      times[19].toFixed(1)
    } ms  failed=${errors}/20  flood connections still open after 5 s: ${held}`,
  );
}

for (const n of [0, 100, 500]) {
  await measure("Deno.serve", n);
  await measure("serveGuarded", n);
}
