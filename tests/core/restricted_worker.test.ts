import assert from "node:assert/strict";
import { restrictedWorker, type WorkerGrants } from "../../lib/worker/restricted_worker.ts";
import { runStageWorker } from "../../lib/worker/run_stage_worker.ts";
import { WorkerPermissionError } from "../../lib/worker/worker_permission_error.ts";

async function probe(grants: WorkerGrants, targets: { read: string; write: string; net: string }) {
  const w = restrictedWorker(new URL("./_probe_worker.ts", import.meta.url), grants);
  try {
    return await new Promise<Record<string, string>>((resolve, reject) => {
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

Deno.test("restrictedWorker: only what is granted; never run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "restricted-" });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => new Response("ok"));
  try {
    await Deno.writeTextFile(`${dir}/in.txt`, "hello");
    const targets = {
      read: `${dir}/in.txt`,
      write: `${dir}/out.txt`,
      net: `http://127.0.0.1:${server.addr.port}/`,
    };
    assert.deepEqual(await probe({}, targets), {
      read: "denied",
      write: "denied",
      net: "denied",
      env: "denied",
      run: "denied",
    });
    assert.deepEqual(
      await probe(
        { read: [dir], write: [dir], net: [`127.0.0.1:${server.addr.port}`], env: ["HOME"] },
        targets,
      ),
      { read: "allowed", write: "allowed", net: "allowed", env: "allowed", run: "denied" },
    );
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runStageWorker: grants beyond this process's permissions are a WorkerPermissionError, not a crash", async () => {
  // The tests may reach loopback only.
  const error = await runStageWorker(
    new URL("./_probe_worker.ts", import.meta.url),
    { net: ["example.com"] },
    {},
  )
    .catch((e) => e);
  assert.ok(error instanceof WorkerPermissionError, String(error));
  assert.match(error.userMessage(), /超出了本命令允许的范围/);
});
