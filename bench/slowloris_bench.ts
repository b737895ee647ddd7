/**
 * Slow-header flood against the meeting service's HTTP front (issue 7 §2):
 * `Deno.serve` alone (baseline) and `serveGuarded` (header timeout 2 s, at most
 * 256 connections), each flooded with N connections that trickle one header
 * line every 500 ms and never finish. Prints the answer time of 20 webhook-like
 * POSTs during the flood and how many flood connections the server still holds
 * after 5 s. Loopback only; figures, no assertions.
 */
import { serveGuarded } from "../lib/http/serve_guarded.ts";

const handler = async (req: Request) => {
  await req.arrayBuffer();
  return new Response("{}", { headers: { "content-type": "application/json" } });
};

async function flood(port: number, n: number) {
  const conns: Deno.Conn[] = [];
  const open = new Set<number>();
  for (let i = 0; i < n; i++) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      await c.write(new TextEncoder().encode(`POST /webhook/event HTTP/1.1\r\nHost: 127.0.0.1\r\n`));
      conns.push(c);
      open.add(i);
      c.read(new Uint8Array(64)).then(() => open.delete(i), () => open.delete(i));
    } catch {
      break;
    }
  }
  let stop = false;
  const trickle = (async () => {
    for (let k = 0; !stop; k++) {
      for (const [i, c] of conns.entries()) {
        if (open.has(i)) await c.write(new TextEncoder().encode(`X-${k}: 1\r\n`)).catch(() => open.delete(i));
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return {
    open,
    async end() {
      stop = true;
      await trickle;
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    },
  };
}

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
  const f = await flood(port, n);
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

for (const n of [100, 500]) {
  await measure("Deno.serve", n);
  await measure("serveGuarded", n);
}
