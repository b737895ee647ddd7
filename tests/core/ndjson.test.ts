import assert from "node:assert/strict";
import { z } from "zod";
import {
  NdjsonLineError,
  NdjsonStageFiles,
  NdjsonWriter,
  parseNdjson,
  readNdjson,
} from "../../lib/ndjson/mod.ts";

const Step = z.object({ type: z.literal("step"), n: z.number().int() });
type Step = z.infer<typeof Step>;

Deno.test("ndjson: what the writer appends the reader returns, in order", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ndjson-" });
  try {
    const path = `${dir}/steps.ndjson`;
    const out = new NdjsonWriter<Step>(path, { schema: Step });
    for (let n = 1; n <= 3; n++) out.append({ type: "step", n });
    out.close();
    // Reopening appends; it never truncates what an earlier run wrote.
    const again = new NdjsonWriter<Step>(path, { schema: Step });
    again.append({ type: "step", n: 4 });
    again.close();
    assert.deepEqual((await readNdjson(path, Step)).map((s) => s.n), [1, 2, 3, 4]);
    if (Deno.build.os !== "windows") assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ndjson: the writer refuses a record its schema rejects and writes nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ndjson-" });
  try {
    const path = `${dir}/steps.ndjson`;
    const out = new NdjsonWriter<Step>(path, { schema: Step });
    const bad = { type: "step", n: 1.5 } as Step;
    assert.throws(() => out.append(bad), (e) => e instanceof NdjsonLineError && /n:/.test(e.message));
    out.close();
    assert.equal(await Deno.readTextFile(path), "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ndjson: a torn last line is skipped and reported; a wrong shape can be fatal", () => {
  const text = '{"type":"step","n":1}\n\n{"type":"other","n":2}\n{"type":"step","n":3}\n{"type":"st';
  const skipped: NdjsonLineError[] = [];
  const steps = parseNdjson(text, Step, { path: "x.ndjson", onInvalid: (e) => skipped.push(e) });
  assert.deepEqual(steps.map((s) => s.n), [1, 3]);
  assert.deepEqual(skipped.map((e) => e.line), [3, 5]);
  assert.equal(skipped[0].issues.length > 0, true);
  assert.equal(skipped[1].issues.length, 0); // not JSON: the line a kill cut short
  assert.throws(
    () => parseNdjson(text, Step, { path: "x.ndjson", invalid: "throw" }),
    (e) => e instanceof NdjsonLineError && e.line === 3 && e.message.startsWith("x.ndjson:3"),
  );
});

Deno.test("ndjson: a missing file has no records", async () => {
  assert.deepEqual(await readNdjson("/nonexistent/dir/none.ndjson", Step), []);
});

Deno.test("ndjson: reopening after a torn last line starts the next record on a line of its own", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ndjson-" });
  try {
    const path = `${dir}/steps.ndjson`;
    await Deno.writeTextFile(path, '{"type":"step","n":1}\n{"type":"step","n"');
    const out = new NdjsonWriter<Step>(path, { schema: Step });
    out.append({ type: "step", n: 2 });
    out.close();
    assert.deepEqual((await readNdjson(path, Step)).map((s) => s.n), [1, 2]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ndjson stage files: one file and one schema per stage; each stage reads back only its own lines", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ndjson-stages-" });
  try {
    const Done = z.object({ type: z.literal("done"), n: z.number().int(), bytes: z.number() });
    const stages = new NdjsonStageFiles<{ steps: Step; done: z.infer<typeof Done> }>(
      { steps: "steps.ndjson", done: "done.ndjson" },
      { steps: Step, done: Done },
    );
    const steps = stages.open(dir, "steps");
    steps.append({ type: "step", n: 1 });
    steps.close();
    stages.append(dir, "done", { type: "done", n: 1, bytes: 10 });
    assert.equal(stages.path(dir, "done"), `${dir}/done.ndjson`);
    assert.deepEqual(await stages.read(dir, "steps"), [{ type: "step", n: 1 }]);
    assert.deepEqual(await stages.read(dir, "done"), [{ type: "done", n: 1, bytes: 10 }]);
    // A record of another stage's shape is refused by this stage's writer, and nothing is written.
    assert.throws(() => stages.append(dir, "done", { type: "step", n: 2 } as never), NdjsonLineError);
    assert.equal((await stages.read(dir, "done")).length, 1);
    // Read with `invalid: "throw"`, a line of the wrong shape names its file and line.
    await Deno.writeTextFile(stages.path(dir, "steps"), '{"type":"done","n":1,"bytes":1}\n', {
      append: true,
    });
    await assert.rejects(() => stages.read(dir, "steps", { invalid: "throw" }), /steps\.ndjson:2/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
