import assert from "node:assert/strict";
import { createLogger, MemorySink } from "../../lib/log/mod.ts";
import { startStageWorker } from "../../lib/worker/start_stage_worker.ts";
import type { SumInput } from "./_sum_stage_worker.ts";

const SUM = new URL("./_sum_stage_worker.ts", import.meta.url);

Deno.test("startStageWorker: inputs while the stage runs (early ones buffered), events in order, result, log lines", async () => {
  const events: number[] = [];
  const sink = new MemorySink();
  const stage = startStageWorker<{ base: number }, number, { sum: number; stopped: boolean }, SumInput>(
    SUM,
    {},
    { base: 100 },
    { onEvent: (e) => events.push(e), logger: createLogger({ sinks: [sink] }) },
  );
  // Sent before the stage has set its handler: kept and handed over in order.
  stage.send({ type: "add", n: 1 });
  stage.send({ type: "add", n: 2 });
  stage.send({ type: "add", n: 3 });
  stage.send({ type: "finish" });
  assert.deepEqual(await stage.result, { sum: 106, stopped: false });
  assert.deepEqual(events, [101, 103, 106]);
  assert.deepEqual(sink.records.map((r) => [r.event, r.base]), [["sum.ready", 100]]);
  stage.send({ type: "add", n: 1 }); // after the end: dropped, no throw
});

Deno.test("startStageWorker: stop() and an aborted signal end the stage; the result still settles", async () => {
  const a = startStageWorker<{ base: number }, number, { sum: number; stopped: boolean }, SumInput>(SUM, {}, {
    base: 1,
  });
  a.send({ type: "add", n: 4 });
  a.stop();
  assert.equal((await a.result).stopped, true);
  const ctl = new AbortController();
  ctl.abort();
  const b = startStageWorker<{ base: number }, number, { sum: number; stopped: boolean }, SumInput>(SUM, {}, {
    base: 2,
  }, { signal: ctl.signal });
  assert.deepEqual(await b.result, { sum: 2, stopped: true });
});
