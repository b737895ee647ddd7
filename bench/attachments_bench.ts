/**
 * Attachment downloader benchmark, end to end through the real CLI:
 *
 * 1. a sandbox (its own process) with N attachments of mixed sizes (default
 *    1,000 files, ~2.3 GB), 10% of the links expired on first use;
 * 2. `scripts/attachments.ts` (its own process) with `--download-concurrency 10`;
 * 3. the plugin simulator runs a URL-mode job with `zipAfterDownload`.
 *
 * Printed: % saved, the service's peak RSS (`VmHWM`, download and ZIP
 * included), download throughput and its ratio to `curl` fetching the same
 * files with the same concurrency (`--parallel-max 10`) in the same run (also
 * with a `sync` after curl: the service fsyncs every file, curl does not), ZIP
 * time, and the probe answer time (median of 20). No assertions.
 *
 * Run: deno run -A bench/attachments_bench.ts [--files 1000] [--scale 1] [--concurrency 10] [--dir /tmp]
 * (`--scale 0.1` divides every size by 10 for a quick run; say so when quoting figures.)
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { createSandbox } from "../sandbox/mod.ts";
import { baseFamily } from "../sandbox/base/mod.ts";
import { probe, runPlugin } from "../sandbox/plugin/mod.ts";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "1000" },
    scale: { type: "string", default: "1" },
    concurrency: { type: "string", default: "10" },
    dir: { type: "string", default: "/tmp" },
    serve: { type: "boolean", default: false },
    port: { type: "string", default: "0" },
  },
});
const FILES = Number(values.files);
const SCALE = Number(values.scale);
const CONC = Number(values.concurrency);

/** 100 sizes cycled: 40% 100 KB, 30% 1 MB, 20% 4 MB, 9% 8 MB, 1% 50 MB (~2.36 MB mean). */
function sizes(): number[] {
  const mb = 1024 * 1024;
  const out: number[] = [];
  for (let i = 0; i < 100; i++) {
    const s = i < 40 ? 100 * 1024 + i : i < 70 ? mb + i : i < 90 ? 4 * mb + i : i < 99 ? 8 * mb + i : 50 * mb;
    out.push(Math.max(1, Math.round(s * SCALE)));
  }
  // Spread the big ones through the job (deterministic shuffle).
  return out.map((s, i) => [s, (i * 37) % 100] as const).sort((a, b) => a[1] - b[1]).map((x) => x[0]);
}

if (values.serve) {
  const sandbox = createSandbox({ seed: 99 });
  baseFamily(sandbox).configure({ attachments: FILES, sizes: sizes(), expiredOnFirstUse: 0.1 });
  const server = await sandbox.listen({ port: Number(values.port) });
  console.log(server.url);
} else {
  await main();
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const p = (l.addr as Deno.NetAddr).port;
  l.close();
  return p;
}

async function firstLine(child: Deno.ChildProcess): Promise<string> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  while (!buf.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
  }
  reader.releaseLock();
  return buf.split("\n")[0].trim();
}

function peakRss(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error("service did not start");
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const config = fileURLToPath(new URL("../deno.json", import.meta.url));
  const work = await Deno.makeTempDir({ dir: values.dir, prefix: "attachments_bench_" });
  const sandboxProc = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      config,
      self,
      "--serve",
      "--files",
      String(FILES),
      "--scale",
      String(SCALE),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const sandboxUrl = await firstLine(sandboxProc);
  const total = (await (await fetch(`${sandboxUrl}/__sandbox/base/selection`)).json()).attachments
    .reduce((s: number, a: { size: number }) => s + a.size, 0);
  const port = freePort();
  const service = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      config,
      fileURLToPath(new URL("../scripts/attachments.ts", import.meta.url)),
      "--port",
      String(port),
      "--output",
      `${work}/downloads`,
      "--state-dir",
      `${work}/state`,
      "--download-concurrency",
      String(CONC),
      "--log-level",
      "error",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await waitPort(port);
    const ws = `ws://127.0.0.1:${port}`;
    const probes: number[] = [];
    for (let i = 0; i < 20; i++) probes.push((await probe(ws))!.ms);
    probes.sort((a, b) => a - b);

    console.log(
      `attachments bench: ${FILES} files, ${(total / 1e9).toFixed(2)} GB${
        SCALE !== 1 ? ` (sizes scaled ×${SCALE})` : ""
      }, concurrency ${CONC}, 10% of links expired on first use`,
    );
    let lastFileAt = 0;
    const t0 = performance.now();
    let zipAt = 0;
    const r = await runPlugin({
      service: ws,
      sandbox: sandboxUrl,
      mode: "url",
      jobName: "bench",
      zip: true,
      skipProbe: true,
      timeoutMs: 3_600_000,
      onAck: (a) => {
        if (a.stage === "file") lastFileAt = performance.now();
        if (a.stage === "zip") zipAt = performance.now();
      },
    });
    const t1 = performance.now();
    const rss = peakRss(service.pid);
    const dlSec = (lastFileAt - t0) / 1000;
    const zipSec = (zipAt - lastFileAt) / 1000;
    const zipSize = (await Deno.stat(`${work}/downloads/bench.zip`).catch(() => ({ size: 0 }))).size;

    // curl: the same files, fresh links, the same concurrency, into files on the same disk.
    const sel = (await (await fetch(`${sandboxUrl}/__sandbox/base/selection`)).json()).attachments as {
      token: string;
    }[];
    const lines: string[] = [];
    for (const a of sel) {
      const j = await (await fetch(`${sandboxUrl}/__sandbox/base/attachment_url`, {
        method: "POST",
        body: JSON.stringify({ token: a.token }),
      })).json();
      lines.push(`url = "${j.data.url}"`, `output = "${work}/curl/${a.token}"`);
    }
    await Deno.mkdir(`${work}/curl`);
    await Deno.writeTextFile(`${work}/curl.cfg`, lines.join("\n") + "\n");
    const c0 = performance.now();
    const curl = await new Deno.Command("curl", {
      args: ["-sS", "--parallel", "--parallel-max", String(CONC), "-K", `${work}/curl.cfg`],
      stdout: "null",
      stderr: "piped",
    }).output();
    const curlSec = (performance.now() - c0) / 1000;
    // Our files are fsync'ed before the rename; curl's sit in the page cache. Time a `sync` too.
    const s0 = performance.now();
    await new Deno.Command("sync").output();
    const syncSec = (performance.now() - s0) / 1000;

    const mbps = (s: number) => (total / 1e6 / s).toFixed(1);
    console.log(
      `  saved:              ${r.succeeded.size}/${FILES} (${
        ((r.succeeded.size / FILES) * 100).toFixed(1)
      }%), ` +
        `link refreshes ${r.refreshes}, failed ${r.failed.size}, job_complete ${r.jobCompleted}`,
    );
    console.log(`  download:           ${dlSec.toFixed(1)} s, ${mbps(dlSec)} MB/s`);
    console.log(
      `  curl (same files):  ${curlSec.toFixed(1)} s, ${mbps(curlSec)} MB/s${
        curl.code ? " (curl errors)" : ""
      }`,
    );
    console.log(
      `  throughput ratio:   ${(curlSec / dlSec).toFixed(2)} × curl; ${
        ((curlSec + syncSec) / dlSec).toFixed(2)
      } × ` +
        `curl + sync (${syncSec.toFixed(1)} s; we fsync every file)`,
    );
    console.log(
      `  ZIP:                ${zipSec.toFixed(1)} s, ${(zipSize / 1e9).toFixed(2)} GB; whole job ${
        ((t1 - t0) / 1000).toFixed(1)
      } s`,
    );
    console.log(`  service peak RSS:   ${(rss / 1e6).toFixed(0)} MB (VmHWM, download + ZIP)`);
    console.log(
      `  probe answer:       median ${probes[10].toFixed(1)} ms, max ${
        probes[19].toFixed(1)
      } ms (plugin waits 800 ms)`,
    );
  } finally {
    service.kill("SIGTERM");
    await service.status;
    sandboxProc.kill("SIGTERM");
    await sandboxProc.status;
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}
