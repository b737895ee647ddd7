/**
 * Stage worker for stage_worker.test.ts: sums the numbers it is sent while it
 * runs, emits each running total, and returns the sum on `finish` (or what it
 * has when stopped). It sets its input handler only after a pause, so inputs
 * sent right after the start are buffered.
 */
import { serveStageWorker } from "../../lib/worker/serve_stage_worker.ts";

export type SumInput = { type: "add"; n: number } | { type: "finish" };

serveStageWorker<{ base: number }, number, { sum: number; stopped: boolean }, SumInput>(
  async (start, { signal, emit, onInput, logger }) => {
    await new Promise((r) => setTimeout(r, 20));
    let sum = start.base;
    const finished = Promise.withResolvers<void>();
    onInput((input) => {
      if (input.type === "finish") return finished.resolve();
      sum += input.n;
      emit(sum);
    });
    logger.info("sum.ready", { base: start.base });
    const stopped = new Promise<void>((r) =>
      signal.aborted ? r() : signal.addEventListener("abort", () => r(), { once: true })
    );
    await Promise.race([finished.promise, stopped]);
    return { sum, stopped: signal.aborted };
  },
);
