import assert from "node:assert/strict";
import {
  linkItems,
  parseConfig,
  parseFrame,
  parseLinkItem,
  parseRefreshReply,
} from "../../pipelines/attachments/protocol.ts";
import { PluginConnection } from "../../pipelines/attachments/connection.ts";
import type { Ack } from "../../pipelines/attachments/acks.ts";
import { JobStore } from "../../pipelines/attachments/job_store.ts";
import { RefreshBroker } from "../../pipelines/attachments/refresh_broker.ts";
import { RateLimiter } from "../../lib/rate_limit/mod.ts";
import { createLogger } from "../../lib/log/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";

Deno.test("protocol: every frame shape parses", () => {
  assert.deepEqual(parseFrame('{"type":"feishu_attachment_probe"}'), { type: "probe" });
  assert.equal(parseFrame("not json").type, "invalid");
  assert.equal(parseFrame('{"data":{}}').type, "invalid");
  assert.deepEqual(parseFrame('{"type":"other"}'), { type: "unknown", name: "other" });
  const one = { name: "a", order: 1 };
  assert.deepEqual(linkItems(one), [one]);
  assert.deepEqual(linkItems([one, one]), [one, one]);
  assert.deepEqual(linkItems({ files: [one] }), [one]);
  assert.deepEqual(parseFrame('{"type":"feishu_attachment_complete","data":{"jobId":"1"}}'), {
    type: "complete",
  });
});

Deno.test("protocol: config fields, modes and failures", () => {
  const c = parseConfig({
    jobId: "17",
    jobName: "表",
    zipName: "",
    total: "3",
    downloadMode: "URL",
    concurrent: 1,
  }, 0);
  assert.deepEqual(c, {
    jobId: "17",
    name: "表",
    total: 3,
    zipAfterDownload: false,
    mode: "url",
    concurrent: 1,
  });
  assert.equal(parseConfig({}, 5000).name, "download_5");
  assert.equal(parseConfig({ zipName: "Z", jobName: "J", zipAfterDownload: true }, 0).zipAfterDownload, true);
  assert.equal(parseConfig({ concurrent: 99 }, 0).concurrent, undefined);
  assert.throws(() => parseConfig({ total: "x" }, 0), /invalid config payload/);
  assert.throws(
    () => parseConfig({ downloadMode: "token", tableId: " ", appToken: "b" }, 0),
    /tableId and appToken/,
  );
  const t = parseConfig({ downloadMode: "Token", tableId: " tbl ", appToken: "bas" }, 0);
  assert.equal(t.mode, "token");
  assert.equal(t.tableId, "tbl");
});

Deno.test("protocol: link items and refresh replies are validated", () => {
  assert.deepEqual(parseLinkItem({ order: 2 }, "url"), { error: "missing file name", order: 2 });
  assert.deepEqual(parseLinkItem({ name: "a" }, "url"), {
    error: "missing downloadUrl and order; cannot request url refresh.",
    order: undefined,
  });
  assert.equal("item" in parseLinkItem({ name: "a", order: "3" }, "url"), true);
  assert.deepEqual(parseLinkItem({ name: "a", order: 4, token: "t" }, "token"), {
    error: "authorization download payload missing attachment identifiers.",
    order: 4,
  });
  assert.deepEqual(parseRefreshReply({ order: "5", downloadUrl: "http://x", error: "boom" }), {
    order: 5,
    error: "boom",
  });
  assert.deepEqual(parseRefreshReply({ order: 5, downloadUrl: "http://x" }), {
    order: 5,
    downloadUrl: "http://x",
  });
  assert.equal(parseRefreshReply({ order: 1.5, downloadUrl: "x" }), undefined);
});

function connection(dir: string, store: JobStore, sent: Ack[]): PluginConnection {
  const c: PluginConnection = new PluginConnection({
    store,
    jobsDir: `${dir}/jobs`,
    settings: () => ({
      output: `${dir}/out`,
      downloadConcurrency: 2,
      connectTimeoutMs: 1000,
      readTimeoutMs: 1000,
      baseApiUrl: "http://127.0.0.1:9",
      maxFilesPerJob: 10,
    }),
    limiter: new RateLimiter(),
    clock: new FakeClock(1_000_000),
    logger: createLogger(),
    send: (a) => {
      sent.push(a);
      // Answer refresh requests as a plugin that cannot get a link.
      if (a.data.status === "refresh") {
        queueMicrotask(() => c.receive(frame("refresh", { order: a.data.order, error: "no permission" })));
      }
    },
  });
  return c;
}

const frame = (type: string, data?: unknown) => JSON.stringify({ type: `feishu_attachment_${type}`, data });

Deno.test("state machine: link before config, complete before config, second config ignored", async () => {
  const dir = await Deno.makeTempDir();
  const store = new JobStore(":memory:");
  try {
    const sent: Ack[] = [];
    const c = connection(dir, store, sent);
    await c.receive(frame("probe"));
    assert.equal(sent[0].data.stage, "server_info");
    assert.equal(sent[0].data.version, "1.1.8");
    await c.receive(frame("link", { name: "a.pdf", order: 7 }));
    assert.deepEqual(sent[1].data, {
      status: "error",
      message: "job configuration not received; cannot download.",
      order: 7,
    });
    await c.receive(frame("complete", {}));
    assert.deepEqual(sent[2].data, {
      status: "success",
      message: "job completed",
      order: null,
      stage: "job_complete",
      jobId: null,
    });
    assert.equal(c.state, "completed");
    await c.receive(frame("config", { jobId: "1", jobName: "x", total: 0 }));
    assert.equal(sent.length, 3, "config after completion is ignored");

    const sent2: Ack[] = [];
    const c2 = connection(dir, store, sent2);
    await c2.receive(frame("config", { jobId: "2", jobName: "y", total: 0 }));
    await c2.receive(frame("config", { jobId: "3", jobName: "z", total: 0 }));
    assert.equal(
      sent2.filter((a) => a.data.stage === "server_info").length,
      1,
      "exactly one server_info per config",
    );
    await c2.close();
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("state machine: duplicate order, bad items and a second complete", async () => {
  const dir = await Deno.makeTempDir();
  const store = new JobStore(":memory:");
  try {
    const sent: Ack[] = [];
    const c = connection(dir, store, sent);
    await c.receive(frame("config", { jobId: "9", jobName: "dup", total: 3 }));
    // URL mode with no URL: each file asks the plugin for a link (refresh ack).
    await c.receive(
      frame("link", [{ name: "a.pdf", order: 1, path: "" }, { name: "a.pdf", order: 1, path: "" }]),
    );
    await c.receive(frame("link", { files: [{ order: 2 }] }));
    const job = c.job!;
    assert.equal(job.files.size, 2, "a duplicate order is a second file");
    const rels = [...job.files.values()].map((f) => f.rel).sort();
    assert.deepEqual(rels, ["a (2).pdf", "a.pdf"], "the second gets a free name");
    assert.ok(
      sent.some((a) =>
        a.data.order === 2 && a.data.status === "error" && a.data.message === "missing file name"
      ),
    );
    await c.receive(frame("complete", {}));
    await c.receive(frame("complete", {}));
    await job.finished;
    await c.close();
    const stages = sent.map((a) => a.data.stage).filter(Boolean);
    assert.equal(stages.filter((s) => s === "job_complete").length, 1, "second complete ignored");
    assert.equal(stages.at(-1), "job_complete");
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("refresh broker: shared waiter per order, 20 in flight, 10 min timeout, cached replies", async () => {
  const clock = new FakeClock(0);
  const asked: number[] = [];
  const b = new RefreshBroker({ ask: (o) => asked.push(o), clock });
  const p1 = b.request(1, "a");
  const p2 = b.request(1, "a");
  assert.deepEqual(asked, [1, 1], "each request sends its own ack");
  b.reply({ order: 1, downloadUrl: "u1" });
  assert.equal(await p1, "u1");
  assert.equal(await p2, "u1");
  b.reply({ order: 2, downloadUrl: "cached" });
  assert.equal(await b.request(2, "b"), "cached");
  const many = Array.from({ length: 21 }, (_, i) => b.request(100 + i, "x"));
  const settled = Promise.allSettled(many);
  await Promise.resolve();
  assert.equal(b.inflight, 20);
  assert.equal(asked.filter((o) => o >= 100).length, 20, "the 21st waits for a slot");
  await clock.tick(600_000);
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await clock.tick(600_000);
  const results = await settled;
  assert.ok(results.every((r) => r.status === "rejected" && /timed out/.test(String(r.reason))));
});

Deno.test("state machine: the plugin's fallback probe config leaves no folder; links after the end are refused", async () => {
  const dir = await Deno.makeTempDir();
  const store = new JobStore(":memory:");
  try {
    const sent: Ack[] = [];
    const c = connection(dir, store, sent);
    await c.receive(
      frame("config", { total: 0, jobName: "probe", jobId: "5", concurrent: 1, downloadMode: "url" }),
    );
    assert.equal(sent[0].data.stage, "server_info");
    await c.receive(frame("complete", {}));
    await c.job!.finished;
    assert.equal(sent.at(-1)!.data.stage, "job_complete");
    assert.deepEqual([...Deno.readDirSync(`${dir}/out`)].map((e) => e.name), [], "no probe folder");
    await c.receive(frame("link", { name: "late.pdf", order: 1 }));
    assert.equal(sent.at(-1)!.data.status, "error");
    assert.equal(sent.at(-1)!.data.order, 1);
    await c.close();
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
