import assert from "node:assert/strict";
import { runPlugin } from "../../sandbox/plugin/mod.ts";
import { expectedSha, fileSha, listFiles, startHarness } from "./_harness.ts";

Deno.test("e2e url mode: small job, probe, acks in order, files byte-identical", async () => {
  const h = await startHarness({ attachments: 12 });
  try {
    const r = await runPlugin({ service: h.ws, sandbox: h.server.url, mode: "url", jobName: "合同附件" });
    assert.ok(r.probe?.accepted, "probe accepted");
    assert.equal(r.probe!.version, "1.1.8", "the probe is answered with the version (its speed: bench)");
    assert.equal(r.fatal, undefined);
    assert.ok(r.jobCompleted);
    assert.equal(r.succeeded.size, 12, `failed: ${JSON.stringify([...r.failed])}`);
    assert.equal(r.acks[0].stage, "server_info");
    assert.equal(r.acks.at(-1)!.stage, "job_complete");
    const files = await listFiles(`${h.settings.output}/合同附件`);
    assert.equal(files.length, 12);
    for (const a of h.base.attachments) {
      const ack = r.acks.find((x) => x.order === a.order && x.status === "success")!;
      assert.equal(await fileSha(String(ack.message)), await expectedSha(a.token, a.size), a.name);
    }
    assert.ok(files.some((f) => f.startsWith("CON_/")), "reserved folder name made safe");
  } finally {
    await h.close();
  }
});
