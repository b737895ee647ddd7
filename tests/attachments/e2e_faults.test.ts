import assert from "node:assert/strict";
import { runPlugin } from "../../sandbox/plugin/mod.ts";
import { expectedSha, fileSha, listFiles, startHarness } from "./_harness.ts";

Deno.test({
  name:
    "e2e url mode: 200 files, 10% expired links, 5% 5xx, cut bodies → all saved byte-identical, ZIP verified",
  async fn() {
    const h = await startHarness({
      attachments: 200,
      sizes: [0, 1, 700, 4096, 65_536, 200_003, 1_000_000],
      expiredOnFirstUse: 0.1,
      fail5xxOnce: 0.05,
      cutOnce: 0.03,
    });
    try {
      const armed = { expired: h.base.pendingExpire.size, fail: h.base.pending5xx.size };
      assert.ok(armed.expired >= 10 && armed.fail >= 4, JSON.stringify(armed));
      const r = await runPlugin({
        service: h.ws,
        sandbox: h.server.url,
        mode: "url",
        jobName: "批量",
        zip: true,
      });
      assert.equal(r.fatal, undefined);
      assert.ok(r.jobCompleted);
      assert.equal(r.succeeded.size, 200, `failed: ${JSON.stringify([...r.failed].slice(0, 5))}`);
      assert.equal(h.base.stats.urlExpired, armed.expired, "every expired link was hit once and replaced");
      assert.ok(h.base.stats.ranged > 0, "cut bodies were resumed with Range");
      assert.ok(h.base.stats.faults5xx >= armed.fail);
      // Acks in the order the plugin needs: server_info first, per-file acks, zip, job_complete last.
      const stages = r.acks.map((a) => a.stage).filter((s) => s && s !== "file" && s !== "refresh");
      assert.deepEqual(stages, ["server_info", "zip", "job_complete"]);
      for (const a of r.acks) {
        if (a.order === null) assert.notEqual(a.status, "error", "no order-less error");
        if (a.status === "progress") assert.ok(Number(a.percentage) >= 0 && Number(a.percentage) <= 99);
      }
      const jobDir = `${h.settings.output}/批量`;
      const files = await listFiles(jobDir);
      assert.equal(files.length, 200, "no duplicates, no .part left");
      assert.ok(!files.some((f) => f.endsWith(".part") || f.endsWith(".json")));
      for (const a of h.base.attachments) {
        const ack = r.acks.find((x) => x.order === a.order && x.status === "success")!;
        assert.equal(await fileSha(String(ack.message)), await expectedSha(a.token, a.size), a.name);
      }
      // Independent ZIP reader: Python's zipfile (testzip checks every CRC).
      const py = new Deno.Command("python3", {
        args: [
          "-c",
          "import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;print(len(z.namelist()))",
          `${jobDir}.zip`,
        ],
        stdout: "piped",
        stderr: "piped",
      });
      const out = await py.output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      assert.equal(new TextDecoder().decode(out.stdout).trim(), "200");
      const history = h.store.history();
      assert.equal(history[0].status, "completed");
      assert.equal(history[0].done, 200);
    } finally {
      await h.close();
    }
  },
});

Deno.test("e2e url mode: a failed file's retry round resumes its .part (no copies, no stale .part)", async () => {
  // Order 3: its first body is cut half way and the cut revokes its link (an expiry mid-download); every
  // new link is expired until the file has failed once. The retry round then gets a working link.
  const h = await startHarness({ attachments: 4, sizes: [600_000], revokeOnCut: true });
  const token = "boxcnSandbox000003";
  let failedOnce = false;
  let refreshes = 0;
  try {
    h.base.pendingCut.add(token);
    const r = await runPlugin({
      service: h.ws,
      sandbox: h.server.url,
      mode: "url",
      jobName: "重试",
      skipProbe: true,
      onAck: (a) => {
        if (a.order !== 3) return;
        if (a.status === "error") failedOnce = true;
        if (a.status === "refresh" && ++refreshes > 1 && !failedOnce) h.base.pendingExpire.add(token);
      },
    });
    assert.ok(r.jobCompleted);
    assert.ok(failedOnce, "order 3 failed in the first round");
    assert.ok(r.acks.some((a) => a.stage === "retry_failed_files" && a.failed === 1));
    assert.equal(r.succeeded.size, 4);
    assert.ok(h.base.stats.ranged >= 1, "the retry round continued from the bytes on disk");
    const files = await listFiles(`${h.settings.output}/重试`);
    assert.equal(files.length, 4, `no name (2) copies, no stale .part: ${files}`);
    const ack = r.acks.find((a) => a.order === 3 && a.status === "success")!;
    assert.equal(await fileSha(String(ack.message)), await expectedSha(token, 600_000));
  } finally {
    await h.close();
  }
});
