/**
 * Download benchmark: a local server (a separate process, so it does not share
 * our thread or our memory figures) serves a large body generated on the fly
 * (default 2 GiB, not stored) with Range support on 127.0.0.1; `downloadFile`
 * fetches it to a temp file while Deno.memoryUsage().rss is sampled every
 * 20 ms. The same URL is then fetched with `curl -o /dev/null` and with
 * `curl -o <file>` for comparison.
 *
 * Goals: throughput ≥ 90% of curl, peak RSS < 150 MB.
 *
 * Each round flushes dirty pages (`sync`) before each run, so one run's
 * writeback does not slow the next; medians are printed.
 *
 * Run: deno run --allow-net=127.0.0.1 --allow-read --allow-write --allow-run bench/download_bench.ts
 *      [--size-mb 2048] [--rounds 3] [--fsync] [--dir /path/on/the/target/disk]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { downloadFile } from "../lib/download/mod.ts";

const { values } = parseArgs({
  options: {
    "size-mb": { type: "string", default: "2048" },
    serve: { type: "boolean", default: false },
    fsync: { type: "boolean", default: false },
    dir: { type: "string" },
    rounds: { type: "string", default: "3" },
  },
});
const SIZE = Math.round(Number(values["size-mb"]) * 1024 * 1024);

if (values.serve) {
  serve(SIZE);
} else {
  await main();
}

/** The server process: prints its port, then serves `/file` of SIZE bytes with Range. */
function serve(size: number) {
  const block = new Uint8Array(1 << 20).map((_, i) => (i * 7 + (i >> 8)) & 255);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const m = /^bytes=(\d+)-$/.exec(req.headers.get("range") ?? "");
    const start = m ? Math.min(Number(m[1]), size) : 0;
    if (m && start >= size) {
      return new Response(null, { status: 416, headers: { "content-range": `bytes */${size}` } });
    }
    let pos = start;
    // The same 1 MiB block is sent again and again (views, no copies): the server's CPU stays low.
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pos >= size) return c.close();
        const off = pos % block.length;
        const n = Math.min(block.length - off, size - pos);
        c.enqueue(block.subarray(off, off + n));
        pos += n;
      },
    });
    const headers: Record<string, string> = {
      "content-type": "video/mp4",
      "content-length": String(size - start),
      "accept-ranges": "bytes",
    };
    if (m) headers["content-range"] = `bytes ${start}-${size - 1}/${size}`;
    return new Response(body, { status: m ? 206 : 200, headers });
  });
  console.log(JSON.stringify({ port: server.addr.port }));
}

async function main() {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      import.meta.filename!,
      "--serve",
      "--size-mb",
      String(values["size-mb"]),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let first = "";
  while (!first.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("server did not start");
    first += value;
  }
  const { port } = JSON.parse(first.split("\n")[0]);
  const url = `http://127.0.0.1:${port}/file`;
  const dir = values.dir ?? await Deno.makeTempDir({ prefix: "download-bench-" });
  const dest = `${dir}/recording.mp4`;
  const mb = SIZE / 1024 / 1024;
  const rounds = Number(values.rounds);
  console.log(
    `body: ${mb.toFixed(0)} MiB from ${url}; files in ${dir}; fsync ${values.fsync ? "on" : "off"}; ` +
      `${rounds} rounds, dirty pages flushed (sync) before every run`,
  );
  const ours: number[] = [];
  const curlNull: number[] = [];
  const curlFile: number[] = [];
  let peak = 0;
  let baseRss = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      await flush();
      const c0 = await curl(url, "/dev/null");
      if (c0 !== undefined) curlNull.push(c0);
      await flush();
      baseRss = Deno.memoryUsage().rss;
      peak = Math.max(peak, baseRss);
      const sampler = setInterval(() => {
        peak = Math.max(peak, Deno.memoryUsage().rss);
      }, 20);
      const t0 = performance.now();
      const r = await downloadFile({ url, dest, fsync: values.fsync });
      const secs = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, Deno.memoryUsage().rss);
      const size = (await Deno.stat(dest)).size;
      if (size !== SIZE || r.bytes !== SIZE) throw new Error(`size ${size} != ${SIZE}`);
      ours.push(mb / secs);
      await Deno.remove(dest);
      await flush();
      const c1 = await curl(url, `${dir}/curl.mp4`);
      if (c1 !== undefined) curlFile.push(c1);
      await Deno.remove(`${dir}/curl.mp4`).catch(() => {});
      console.log(
        `round ${round + 1}: downloadFile ${ours.at(-1)!.toFixed(0)} MiB/s, curl -o /dev/null ${
          c0?.toFixed(0) ?? "-"
        } MiB/s, curl -o file ${c1?.toFixed(0) ?? "-"} MiB/s`,
      );
    }
    const m = (xs: number[]) =>
      xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : undefined;
    const o = m(ours)!;
    const cn = m(curlNull);
    const cf = m(curlFile);
    const pct = (c?: number) => (c ? ` → ours = ${((o / c) * 100).toFixed(0)}%` : "");
    console.log(`median downloadFile      : ${o.toFixed(0)} MiB/s, peak RSS ${(peak / 1e6).toFixed(0)} MB`);
    console.log(`median curl -o /dev/null : ${cn?.toFixed(0) ?? "curl missing"} MiB/s${pct(cn)}`);
    console.log(`median curl -o file      : ${cf?.toFixed(0) ?? "curl missing"} MiB/s${pct(cf)}`);
    console.log(
      `goals: peak RSS < 150 MB ${peak < 150e6 ? "met" : "MISSED"}; ≥ 90% of curl writing a file ${
        cf && o >= 0.9 * cf ? "met" : "MISSED"
      }; ≥ 90% of curl -o /dev/null ${cn && o >= 0.9 * cn ? "met" : "MISSED"}`,
    );
  } finally {
    child.kill();
    await child.status;
    if (!values.dir) await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Write dirty pages out so one run's writeback does not slow the next. */
async function flush(): Promise<void> {
  try {
    await new Deno.Command("sync").output();
  } catch { /* no sync binary: skip */ }
}

/** curl's own average speed (MiB/s), or undefined when curl is missing. */
async function curl(url: string, out: string): Promise<number | undefined> {
  try {
    const { stdout, success } = await new Deno.Command("curl", {
      args: ["-sS", "-o", out, "-w", "%{speed_download}", url],
      stdout: "piped",
    }).output();
    if (!success) return undefined;
    return Number(new TextDecoder().decode(stdout)) / 1024 / 1024;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
