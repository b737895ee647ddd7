import assert from "node:assert/strict";
import { useUtf8Console } from "../../lib/cli/utf8_console.ts";

Deno.test("useUtf8Console: runs chcp 65001 only on Windows, in a console window, when permitted", async () => {
  let runs = 0;
  const run = () => {
    runs++;
    return Promise.resolve(true);
  };
  const base = { os: "windows" as const, isConsole: () => true, mayRun: () => true, run };
  assert.equal(await useUtf8Console(base), "set");
  assert.equal(await useUtf8Console({ ...base, os: "linux" }), "not-needed");
  assert.equal(await useUtf8Console({ ...base, os: "darwin" }), "not-needed");
  assert.equal(await useUtf8Console({ ...base, isConsole: () => false }), "not-needed");
  assert.equal(await useUtf8Console({ ...base, mayRun: () => false }), "not-permitted");
  assert.equal(runs, 1);
  assert.equal(await useUtf8Console({ ...base, run: () => Promise.resolve(false) }), "failed");
  assert.equal(
    await useUtf8Console({ ...base, run: () => Promise.reject(new Deno.errors.NotFound("chcp")) }),
    "failed",
  );
});

Deno.test("useUtf8Console: without run permission it never prompts or throws", async () => {
  // The test process may or may not have --allow-run; either way the default checks must not throw.
  const r = await useUtf8Console({ os: "windows", isConsole: () => true, run: () => Promise.resolve(true) });
  assert.ok(r === "set" || r === "not-permitted");
});
