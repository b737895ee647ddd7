import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";
import { createSandbox } from "../../sandbox/mod.ts";
import { baseFamily } from "../../sandbox/base/mod.ts";
import { runPlugin } from "../../sandbox/plugin/mod.ts";
import { JobStore } from "../../pipelines/attachments/job_store.ts";
import { replayJob } from "../../pipelines/attachments/replay.ts";
import { expectedSha, fileSha, listFiles, waitFor } from "./_harness.ts";

const SCRIPT = fromFileUrl(new URL("../../scripts/attachments.ts", import.meta.url));
const CONFIG = fromFileUrl(new URL("../../deno.json", import.meta.url));

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function spawnService(port: number, dir: string, baseApi: string, token: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--config",
      CONFIG,
      "--allow-net",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      SCRIPT,
      "--port",
      String(port),
      "--output",
      `${dir}/downloads`,
      "--state-dir",
      `${dir}/state`,
      "--base-api-url",
      baseApi,
      "--download-concurrency",
      "3",
      "--log-level",
      "error",
    ],
    env: { PERSONAL_BASE_TOKEN: token },
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

async function waitListening(port: number): Promise<void> {
  await waitFor(
    async () => {
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        return true;
      } catch {
        return false;
      }
    },
    120_000,
    "service listening",
  );
}

Deno.test("e2e: service killed (-9) mid token job and restarted → job completes, no duplicates, no .part", async () => {
  const sandbox = createSandbox({ seed: 11 });
  const base = baseFamily(sandbox);
  base.configure({ attachments: 6, sizes: [2_500_000], slowChunkMs: 40 });
  const server = await sandbox.listen({ port: 0 });
  const dir = await Deno.makeTempDir({ prefix: "attachments_kill_" });
  const port = freePort();
  let child = spawnService(port, dir, server.url, base.personalBaseToken);
  try {
    await waitListening(port);
    await runPlugin({
      service: `ws://127.0.0.1:${port}`,
      sandbox: server.url,
      mode: "token",
      jobName: "断点",
    });
    const jobDir = `${dir}/downloads/断点`;
    await waitFor(
      async () => {
        for (const f of await listFiles(jobDir).catch(() => [] as string[])) {
          if (f.endsWith(".part") && (await Deno.stat(`${jobDir}/${f}`)).size > 0) return true;
        }
        return false;
      },
      30_000,
      "bytes in a .part",
    );
    child.kill("SIGKILL");
    await child.status;
    await child.stderr.cancel();
    const ranged = base.stats.ranged;
    child = spawnService(port, dir, server.url, base.personalBaseToken);
    const store = new JobStore(`${dir}/state/attachments.sqlite`);
    try {
      // Generous: the restarted process type-checks and starts first, slow on a loaded machine.
      await waitFor(() => store.history()[0]?.status === "completed", 180_000, "job completed after restart");
      const key = store.history()[0].key;
      const files = await listFiles(jobDir);
      assert.equal(files.length, 6, files.join(","));
      assert.ok(!files.some((f) => f.includes(".part")));
      assert.ok(base.stats.ranged > ranged, "resumed with Range");
      for (const row of store.files(key)) {
        assert.equal(row.status, "done");
        assert.equal(await fileSha(`${jobDir}/${row.rel}`), await expectedSha(row.item.token!, 2_500_000));
      }
      // The job directory written by both processes (the first one killed mid-line, maybe) tells the
      // same story as the store; and the token is in no file of the state folder (database, logs, jobs).
      const replayed = await replayJob(`${dir}/state/jobs/${key}`);
      assert.equal(replayed.status, "completed");
      assert.deepEqual(
        replayed.files.map((f) => [f.seq, f.status, f.bytes]),
        store.files(key).map((f) => [f.seq, f.status, f.bytes]),
      );
      for (const f of replayed.files) {
        assert.equal(f.sha256, await expectedSha(f.item.token!, 2_500_000));
      }
      for (const f of await listFiles(`${dir}/state`)) {
        const text = new TextDecoder().decode(await Deno.readFile(`${dir}/state/${f}`));
        assert.ok(!text.includes(base.personalBaseToken), `${f} holds the token`);
      }
    } finally {
      store.close();
    }
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await child.stderr.cancel().catch(() => {});
    await server.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
