import assert from "node:assert/strict";
import { restrictedWorker } from "../../lib/worker/restricted_worker.ts";
import { downloadGrants, hostAllowed, hostRefusal } from "../../pipelines/attachments/download_stage.ts";
import { replayJob } from "../../pipelines/attachments/replay.ts";
import { runPlugin } from "../../sandbox/plugin/mod.ts";
import { startHarness } from "./_harness.ts";

/** What the worker tried: `allowed`, `denied` (NotCapable / PermissionDenied from inside) or `error`. */
async function probe(
  grants: ReturnType<typeof downloadGrants>,
  targets: { read: string; write: string; net: string },
): Promise<Record<string, string>> {
  const w = restrictedWorker(new URL("../core/_probe_worker.ts", import.meta.url), grants);
  try {
    return await new Promise((resolve, reject) => {
      w.onmessage = (e) => resolve(e.data);
      w.onerror = (e) => {
        e.preventDefault();
        reject(new Error(e.message));
      };
      w.postMessage(targets);
    });
  } finally {
    w.terminate();
  }
}

Deno.test("download Worker: writes only its download folder, reaches only its hosts, no state, env or run", async () => {
  const root = await Deno.makeTempDir({ prefix: "attachments_grants_" });
  const serve = () =>
    Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => new Response("ok"));
  const api = serve();
  const other = serve();
  try {
    const dir = `${root}/downloads/任务`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/a.bin.part`, "part");
    await Deno.writeTextFile(`${root}/state.sqlite`, "state");
    const inside = {
      read: `${dir}/a.bin.part`,
      write: `${dir}/b.bin.part`,
      net: `http://127.0.0.1:${api.addr.port}/`,
    };
    const outside = {
      read: `${root}/state.sqlite`,
      write: `${root}/downloads/escaped.bin`,
      net: `http://127.0.0.1:${other.addr.port}/`,
    };
    // Token mode: the base-api host (here the sandbox's host:port) and nothing else.
    const token = downloadGrants({
      dir,
      mode: "token",
      baseApiUrl: `http://127.0.0.1:${api.addr.port}`,
      downloadHosts: [],
    });
    assert.deepEqual(await probe(token, inside), {
      read: "allowed",
      write: "allowed",
      net: "allowed",
      env: "denied",
      run: "denied",
    });
    assert.deepEqual(await probe(token, outside), {
      read: "denied",
      write: "denied",
      net: "denied",
      env: "denied",
      run: "denied",
    });
    assert.equal(await Deno.stat(`${root}/downloads/escaped.bin`).catch(() => null), null, "nothing written");
    // URL mode: the download hosts this process may reach (this test may reach loopback only).
    const url = downloadGrants({
      dir,
      mode: "url",
      baseApiUrl: "https://base-api.feishu.cn",
      downloadHosts: ["internal-api-drive-stream.feishu.cn", `127.0.0.1:${api.addr.port}`],
    });
    assert.deepEqual(url.net, [`127.0.0.1:${api.addr.port}`], "hosts the process cannot reach are left out");
    assert.equal((await probe(url, inside)).net, "allowed");
    assert.deepEqual(await probe(url, outside), {
      read: "denied",
      write: "denied",
      net: "denied",
      env: "denied",
      run: "denied",
    });
  } finally {
    await api.shutdown();
    await other.shutdown();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("download hosts: a link outside the list is refused with the option that allows it", () => {
  const hosts = ["internal-api-drive-stream.feishu.cn", "127.0.0.1", "localhost:8080"];
  assert.ok(
    hostAllowed("https://internal-api-drive-stream.feishu.cn/space/api/box/stream/download?x=1", hosts),
  );
  assert.ok(hostAllowed("http://127.0.0.1:18080/__base/tmp/a", hosts), "a host without port: any port");
  assert.ok(hostAllowed("http://localhost:8080/a", hosts));
  assert.ok(!hostAllowed("http://localhost:8081/a", hosts), "host:port: that port only");
  assert.ok(!hostAllowed("https://evil.example.com/a", hosts));
  assert.ok(!hostAllowed("not a url", hosts));
  assert.ok(hostAllowed("https://evil.example.com/a", [...hosts, "*"]));
  assert.match(
    hostRefusal("https://cdn.example.com/x?sig=1"),
    /cdn\.example\.com.*--download-host cdn\.example\.com/,
  );
  assert.doesNotMatch(
    hostRefusal("https://cdn.example.com/x?sig=1"),
    /sig=/,
    "the link's signature is not repeated",
  );
});

Deno.test("download hosts: through the service, links to a host outside the list fail with the option that allows it; nothing is fetched", async () => {
  const h = await startHarness({ attachments: 3, sizes: [1000] }, {}, { downloadHosts: ["localhost"] });
  try {
    const r = await runPlugin({
      service: h.ws,
      sandbox: h.server.url,
      mode: "url",
      jobName: "主机",
      skipProbe: true,
    });
    assert.ok(r.jobCompleted);
    assert.equal(r.failed.size, 3);
    const host = new URL(h.server.url).host;
    for (const message of r.failed.values()) assert.match(message, new RegExp(`--download-host ${host}`));
    assert.equal(h.base.stats.served, 0, "no byte was fetched from the refused host");
    const job = await replayJob(`${h.dir}/jobs/${h.store.history()[0].key}`);
    assert.deepEqual(job.files.map((f) => [f.status, f.errorKind]), [
      ["failed", "host_refused"],
      ["failed", "host_refused"],
      ["failed", "host_refused"],
    ]);
  } finally {
    await h.close();
  }
});
