/** ApaasApplication against the sandbox: AI capability invocation (timeout), flows (sync, async, failed). */
import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import { AI_DEFAULT_TIMEOUT_MS, ApaasApplication, ApaasTimeoutError } from "../../lib/apaas/mod.ts";
import { LarkError, NotFoundError, ParamError } from "../../lib/errors/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { APAAS_NAMESPACE } from "../../sandbox/apaas/store.ts";
import { withApaas } from "./_env.ts";

Deno.test("invokeAi: parameters in, parsed result out", async () => {
  await withApaas(async ({ http }) => {
    const app = new ApaasApplication(http(), { namespace: APAAS_NAMESPACE });
    assert.deepEqual(await app.invokeAi("summarize", { text: "季度销售报告" }), {
      summary: "季度销售报告",
      length: 6,
    });
    assert.deepEqual(await app.invokeAi("classify", { text: "我要退款" }), { label: "售后" });
    await assert.rejects(() => app.invokeAi("missing_fn"), NotFoundError);
    await assert.rejects(
      () => app.invokeAi("bad name"),
      (e) => e instanceof ParamError && e.field === "function",
    );
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      () => app.invokeAi("summarize", [] as any),
      (e) => e instanceof ParamError && e.field === "params",
    );
  });
});

Deno.test("invokeAi: past 30 s (default) a typed timeout error, and the request is aborted", async () => {
  await withApaas(async ({ http, calls }) => {
    const clock = new FakeClock(0);
    const app = new ApaasApplication(http(), { namespace: APAAS_NAMESPACE, clock });
    const p = app.invokeAi("hang", { text: "x" });
    const outcome = p.then(() => "resolved", (e) => e);
    // Wait until the request reached the sandbox, then let 30 s of fake time pass.
    await waitFor(() => calls("apaas_function_invoke") > 0, {
      timeoutMs: 10_000,
      what: "the invoke request",
    });
    await clock.tick(AI_DEFAULT_TIMEOUT_MS - 1);
    assert.equal(await Promise.race([outcome, Promise.resolve("pending")]), "pending");
    await clock.tick(1);
    const e = await outcome;
    assert.ok(e instanceof ApaasTimeoutError, String(e));
    assert.equal(e.timeoutMs, 30_000);
    assert.match(e.hint, /30 秒/);
    assert.equal(calls("apaas_function_invoke"), 1, "not retried");
    assert.equal(clock.pending, 0, "no timer left behind");
  });
});

Deno.test("flows: synchronous run with parameters, result read", async () => {
  await withApaas(async ({ http }) => {
    const app = new ApaasApplication(http(), { namespace: APAAS_NAMESPACE });
    const run = await app.executeFlow("notifyOwner", {
      operator: { email: "zhangsan@example.com" },
      params: { id: 7 },
    });
    assert.equal(run.status, "end");
    assert.ok(run.done && run.ok);
    assert.deepEqual(run.output.echo, { id: 7 });
    assert.deepEqual(await app.flowExecution(run.executionId), run);
    const failed = await app.executeFlow("alwaysFails", { operator: { id: 1 } });
    assert.equal(failed.ok, false);
    assert.equal(failed.errorCode, "FLOW_NODE_FAILED");
  });
});

Deno.test("flows: asynchronous run polled until it ends (fake time)", async () => {
  await withApaas(async ({ sandbox, http }) => {
    const app = new ApaasApplication(http(), { namespace: APAAS_NAMESPACE });
    const run = await app.executeFlow("slowReport", {
      operator: { id: 1 },
      async: true,
      idempotentKey: "k-1",
    });
    assert.equal(run.status, "running");
    assert.equal(run.done, false);
    const clock = sandbox.state.clock as FakeClock;
    const polled = new ApaasApplication(http(), { namespace: APAAS_NAMESPACE, clock });
    const waiting = polled.waitForFlow(run.executionId, { intervalMs: 1000 });
    for (let i = 0; i < 5; i++) {
      while (clock.pending === 0) await new Promise((r) => setTimeout(r, 1));
      await clock.tick(1000);
    }
    const done = await waiting;
    assert.equal(done.status, "end");
    assert.ok(done.ok);
    await assert.rejects(
      () => app.executeFlow("slowReport", { operator: { id: 1 }, async: true, idempotentKey: "k-1" }),
      (e) => e instanceof LarkError && e.code === 2320002,
    );
  }, { clock: new FakeClock(1_700_000_000_000) });
});

Deno.test("flows: input checked before any request", async () => {
  await withApaas(async ({ http, calls }) => {
    const app = new ApaasApplication(http(), { namespace: APAAS_NAMESPACE });
    await assert.rejects(
      () => app.executeFlow("notifyOwner", {} as unknown as Parameters<typeof app.executeFlow>[1]),
      (e) => e instanceof ParamError && e.field === "operator",
    );
    await assert.rejects(
      () => app.executeFlow("notifyOwner", { operator: { id: 1 }, idempotentKey: "含空格 的键" }),
      (e) => e instanceof ParamError && e.field === "idempotentKey",
    );
    assert.throws(
      () => new ApaasApplication(http(), { namespace: "../x" }),
      (e) => e instanceof ParamError && e.field === "namespace",
    );
    assert.equal(calls("apaas_flow_execute"), 0);
    await assert.rejects(() => app.executeFlow("noSuchFlow", { operator: { id: 1 } }), NotFoundError);
  });
});
