import assert from "node:assert/strict";
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from "@zip.js/zip.js";
import { sha256Hex } from "../../lib/encoding/sha256_hex.ts";
import { runPlugin } from "../../sandbox/plugin/mod.ts";
import { replayJob } from "../../pipelines/attachments/replay.ts";
import { JOB_STAGES } from "../../pipelines/attachments/stage_files.ts";
import { main as replayMain } from "../../scripts/attachments_replay.ts";
import { main as zipMain } from "../../scripts/attachments_zip.ts";
import { expectedSha, fileSha, startHarness, waitFor } from "./_harness.ts";

/** Every file below `dir` (recursively), absolute. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...await walk(p));
    else if (e.isFile) out.push(p);
  }
  return out;
}

/** Whether `needle` occurs in the bytes of `path`. */
async function contains(path: string, needle: string): Promise<boolean> {
  const hay = await Deno.readFile(path);
  const n = new TextEncoder().encode(needle);
  outer: for (let i = 0; i + n.length <= hay.length; i++) {
    for (let j = 0; j < n.length; j++) if (hay[i + j] !== n[j]) continue outer;
    return true;
  }
  return false;
}

/** JSON round trip: absent and `undefined` fields compare equal. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** Console output of `fn` (stdout lines through `write`), and its exit code. */
async function quiet(
  fn: (write: (l: string) => void) => Promise<number>,
): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const err = console.error;
  console.error = () => {};
  try {
    const code = await fn((l) => lines.push(l));
    return { code, out: lines.join("\n") };
  } finally {
    console.error = err;
  }
}

Deno.test("stage files: a URL job's NDJSON files alone reproduce it (no SQLite); its ZIP rebuilt from them is byte-identical", async () => {
  const h = await startHarness({
    attachments: 14,
    sizes: [0, 700, 65_536, 300_001],
    expiredOnFirstUse: 0.2,
    urlDenied: 0.15,
  });
  try {
    const r = await runPlugin({
      service: h.ws,
      sandbox: h.server.url,
      mode: "url",
      jobName: "阶段",
      zip: true,
    });
    assert.ok(r.jobCompleted);
    await h.service.idle();
    const key = h.store.history()[0].key;
    const row = h.store.job(key)!;
    const rows = h.store.files(key);
    assert.equal(row.status, "completed");
    assert.ok(rows.some((f) => f.status === "failed"), "some links were denied: failures are replayed too");
    assert.ok(rows.some((f) => f.status === "done"));

    // The SQLite database goes away; the job directory alone must tell the same story.
    await h.service.stop();
    h.store.close();
    for (const f of await walk(h.dir)) if (f.includes("state.sqlite")) await Deno.remove(f);
    const jobDir = `${h.dir}/jobs/${key}`;
    const job = await replayJob(jobDir);
    const { files, zips, ...jobRow } = job;
    assert.deepEqual(plain(jobRow), plain(row));
    assert.deepEqual(
      plain(files.map(({ sha256: _s, errorKind: _k, ...f }) => f)),
      plain(rows.map(({ jobKey: _j, ...f }) => f)),
    );
    // … and the same as what the service told the plugin, file by file (the last per-file ack wins).
    for (const a of h.base.attachments) {
      const acks = r.acks.filter((x) =>
        x.order === a.order && (x.status === "success" || x.status === "error")
      );
      const last = acks.at(-1)!;
      const f = files.find((x) => x.item.order === a.order)!;
      if (last.status === "success") {
        assert.equal(f.status, "done", a.name);
        assert.equal(f.sha256, await expectedSha(a.token, a.size), a.name);
        assert.equal(f.sha256, await fileSha(String(last.message)));
      } else {
        assert.equal(f.status, "failed", a.name);
        assert.equal(last.message, `download failed after 3 attempts: ${f.error}`);
        assert.ok(f.errorKind);
      }
    }
    const { code, out } = await quiet((w) => replayMain(["--json", jobDir], w));
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out), plain(job));
    // No temporary link (its query is a signature) in any stage file.
    for (const f of await walk(jobDir)) {
      assert.ok(!await contains(f, "sig="), `${f} holds a temporary link`);
      assert.ok(!await contains(f, "/__base/tmp/"), `${f} holds a temporary link`);
    }

    // The ZIP stage alone, from the job directory: the same bytes, the saved files as entries.
    assert.equal(zips.length, 1);
    const zipPath = `${job.dir}.zip`;
    const before = await fileSha(zipPath);
    assert.equal(zips[0].sha256, before);
    await Deno.remove(zipPath);
    assert.equal((await quiet((w) => zipMain([jobDir], w))).code, 0);
    assert.equal(await fileSha(zipPath), before, "a rerun gives a byte-identical ZIP");
    const reader = new ZipReader(new Uint8ArrayReader(await Deno.readFile(zipPath)));
    const entries = await reader.getEntries();
    const saved = files.filter((f) => f.status === "done");
    assert.deepEqual(entries.map((e) => e.filename), saved.map((f) => f.rel).sort());
    for (const e of entries) {
      assert.ok(!e.directory, e.filename);
      const bytes = await e.getData(new Uint8ArrayWriter());
      const f = saved.find((x) => x.rel === e.filename)!;
      assert.equal(await sha256Hex(bytes), f.sha256, e.filename);
    }
    await reader.close();
    const zipLines = await JOB_STAGES.read(jobDir, "zip");
    assert.deepEqual(zipLines.map((z) => [z.outcome, z.sha256]), [["ok", before], ["ok", before]]);

    // A line that is JSON but not the stage's shape: replay says so (exit 3), the ZIP is not rebuilt.
    await Deno.writeTextFile(`${jobDir}/downloads.ndjson`, '{"type":"download","seq":"x"}\n', {
      append: true,
    });
    assert.equal((await quiet((w) => replayMain([jobDir], w))).code, 3);
    assert.equal((await quiet((w) => zipMain([jobDir], w))).code, 3);
    assert.equal((await quiet((w) => replayMain([`${h.dir}/jobs`], w))).code, 2, "not a job directory");
  } finally {
    await h.close();
  }
});

Deno.test("stage files: token mode leaves the personal base token in no file under the state folder, nor in a log line", async () => {
  const h = await startHarness({ attachments: 4, sizes: [10, 70_000] });
  try {
    const token = h.base.personalBaseToken;
    await runPlugin({
      service: h.ws,
      sandbox: h.server.url,
      mode: "token",
      jobName: "令牌",
      skipProbe: true,
    });
    await waitFor(() => h.store.history()[0]?.status === "completed", 30_000, "token job completed");
    const key = h.store.history()[0].key;
    assert.ok(h.store.files(key).every((f) => f.status === "done"));
    const job = await replayJob(`${h.dir}/jobs/${key}`);
    assert.equal(job.status, "completed");
    assert.equal(job.files.filter((f) => f.status === "done").length, 4);
    await h.service.stop();
    const all = await walk(h.dir);
    assert.ok(all.some((f) => f.endsWith("downloads.ndjson")) && all.some((f) => f.includes("state.sqlite")));
    for (const f of all) assert.ok(!await contains(f, token), `${f} holds the token`);
    // The scan does read them: the job's key is found (in the database and the job directory).
    assert.ok((await Promise.all(all.map((f) => contains(f, key)))).filter(Boolean).length >= 2);
    assert.ok(h.logs.records.length > 0);
    assert.ok(!JSON.stringify(h.logs.records).includes(token), "a log line holds the token");
  } finally {
    await h.close();
  }
});
