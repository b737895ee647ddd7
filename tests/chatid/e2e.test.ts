import assert from "node:assert/strict";
import { readChatIdExcel } from "../../pipelines/chatid/output.ts";
import { main } from "../../scripts/chatid.ts";
import { chatIdEnv, journalRows, runChatIdProcess, spawnUntilRows } from "./_env.ts";
import { QUICK } from "../_test_size.ts";

const quiet = ["--quiet"];

async function silenced<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log, err = console.error;
  console.log = () => {};
  console.error = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
    console.error = err;
  }
}

Deno.test("chatid e2e: every status comes from its case; ids before a failure are kept", async () => {
  const env = await chatIdEnv({}, { rate_limit: { concurrency: 1 } });
  try {
    const ex = env.sandbox.examples(4);
    // Request order is deterministic with concurrency 1: faults hit the contracts in list order.
    const list = [ex.ok[0], ex.ok[1], ex.ok[2], ex.ok[3], ex.noCooperation[0], ex.noChat[0], ex.notFound[0]];
    await Deno.writeTextFile(`${env.dir}/in.txt`, list.join("\n"));
    const f = env.sandbox.faults;
    f.set("contract_search", { errorStatus: 400, errorCode: 99991672 }); // scope not enabled
    f.failNext("contract_search", 1, "error"); // ok[0] → PERMISSION_DENIED
    f.set("contract_and_task", { errorStatus: 500 });
    f.failNext("contract_and_task", 4, "error"); // ok[1] → RETRY_EXCEEDED after 3 retries
    const code = await silenced(() => main([`${env.dir}/in.txt`, "--config", env.config, ...quiet]));
    assert.equal(code, 0);
    const rows = await readChatIdExcel(env.output);
    assert.deepEqual(rows.map((r) => r.contract_number), list, "rows in input order");
    const by = Object.fromEntries(rows.map((r) => [r.contract_number, r]));
    assert.equal(by[ex.ok[0]].status, "PERMISSION_DENIED");
    assert.equal(by[ex.ok[0]].error_code, "99991672");
    assert.equal(by[ex.ok[1]].status, "RETRY_EXCEEDED");
    assert.equal(by[ex.ok[1]].retry_count, 3);
    assert.notEqual(by[ex.ok[1]].contract_id, "", "contract id found before the failure is kept");
    assert.equal(by[ex.ok[2]].status, "SUCCESS");
    assert.match(by[ex.ok[2]].openChatId, /^oc_[0-9a-f]{32}$/);
    assert.equal(by[ex.ok[3]].status, "SUCCESS");
    assert.equal(by[ex.noCooperation[0]].status, "NO_COOPERATION");
    assert.notEqual(by[ex.noCooperation[0]].contract_id, "");
    assert.equal(by[ex.noChat[0]].status, "NO_CHAT_GROUP");
    assert.notEqual(by[ex.noChat[0]].cooperation_id, "");
    assert.equal(by[ex.notFound[0]].status, "NOT_FOUND_CONTRACT");
    assert.equal(env.sandbox.journal.count("tenant_token"), 1, "one token fetch for the whole run");
  } finally {
    await env.close();
  }
});

Deno.test("chatid e2e: unknown business code → UNKNOWN_ERROR; revoked token recovered", async () => {
  const env = await chatIdEnv({}, { rate_limit: { concurrency: 1 } });
  try {
    const ex = env.sandbox.examples(3);
    await Deno.writeTextFile(`${env.dir}/in.txt`, [ex.ok[0], ex.ok[1]].join("\n"));
    env.sandbox.faults.set("contract_and_task", { errorStatus: 400, errorCode: 777001 });
    env.sandbox.faults.failNext("contract_and_task", 1, "error");
    env.sandbox.faults.failNext("contract_search", 1, "auth"); // 99991663: token refused once
    const code = await silenced(() => main([`${env.dir}/in.txt`, "--config", env.config, ...quiet]));
    assert.equal(code, 0);
    const rows = await readChatIdExcel(env.output);
    assert.equal(rows[0].status, "UNKNOWN_ERROR");
    assert.equal(rows[0].error_code, "777001");
    assert.equal(rows[1].status, "SUCCESS");
    assert.equal(env.sandbox.journal.count("tenant_token"), 2, "refused token → exactly one re-fetch");
  } finally {
    await env.close();
  }
});

Deno.test("chatid e2e: --retry-failed re-runs only failed rows and writes the merged result", async () => {
  const env = await chatIdEnv({}, { rate_limit: { concurrency: 1 } });
  try {
    const ex = env.sandbox.examples(4);
    const list = [ex.ok[0], ex.ok[1], ex.ok[2], ex.noChat[0]];
    await Deno.writeTextFile(`${env.dir}/in.txt`, list.join("\n"));
    env.sandbox.faults.failNext("contract_and_task", 4, "error");
    assert.equal(await silenced(() => main([`${env.dir}/in.txt`, "--config", env.config, ...quiet])), 0);
    const first = await readChatIdExcel(env.output);
    assert.equal(first[0].status, "RETRY_EXCEEDED");
    env.sandbox.journal.clear();
    const merged = `${env.dir}/merged.xlsx`;
    const code = await silenced(() =>
      main(["--retry-failed", env.output, "--config", env.config, "--output", merged, ...quiet])
    );
    assert.equal(code, 0);
    const rows = await readChatIdExcel(merged);
    assert.deepEqual(rows.map((r) => r.contract_number), list);
    assert.equal(rows[0].status, "SUCCESS");
    assert.equal(rows[3].status, "NO_CHAT_GROUP");
    // Only the two non-SUCCESS rows were searched again.
    assert.equal(env.sandbox.journal.count("contract_search"), 2);
  } finally {
    await env.close();
  }
});

Deno.test("chatid e2e: --from-journal reruns the output stage alone, with no call and no secret", async () => {
  const env = await chatIdEnv({}, { rate_limit: { concurrency: 2 } });
  try {
    const ex = env.sandbox.examples(3);
    const list = [ex.ok[0], ex.noChat[0], ex.ok[1], ex.notFound[0]];
    await Deno.writeTextFile(`${env.dir}/in.txt`, list.join("\n"));
    assert.equal(await silenced(() => main([`${env.dir}/in.txt`, "--config", env.config, ...quiet])), 0);
    const original = await readChatIdExcel(env.output);
    await Deno.remove(env.output);
    env.sandbox.journal.clear();
    // No --config: the output stage needs neither the app secret nor the cookie.
    const journal = `${env.output}.journal.ndjson`;
    assert.equal(
      await silenced(() => main(["--from-journal", journal, `${env.dir}/in.txt`, "--extra-columns"])),
      0,
    );
    assert.deepEqual(await readChatIdExcel(env.output), original, "the same Excel, from the journal alone");
    assert.equal(env.sandbox.journal.count("contract_search"), 0, "no request was made");
    // A journal line of the wrong shape is skipped, not written.
    await Deno.writeTextFile(journal, '{"type":"row","contract_number":"X-1","row":{"status":"BOGUS"}}\n', {
      append: true,
    });
    const other = `${env.dir}/other.xlsx`;
    assert.equal(await silenced(() => main(["--from-journal", journal, "-o", other])), 0);
    assert.deepEqual((await readChatIdExcel(other)).map((r) => r.contract_number).sort(), [...list].sort());
    assert.equal(await silenced(() => main(["--from-journal", `${env.dir}/none.ndjson`])), 1);
  } finally {
    await env.close();
  }
});

Deno.test("chatid e2e: an expired cookie stops at start with a clear message (exit 1)", async () => {
  const env = await chatIdEnv();
  try {
    const ex = env.sandbox.examples(2);
    await Deno.writeTextFile(`${env.dir}/in.txt`, ex.ok.join("\n"));
    env.sandbox.faults.expireSessions();
    const r = await runChatIdProcess([`${env.dir}/in.txt`, "--config", env.config, ...quiet]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /登录已失效/);
    assert.match(r.stderr, /FEISHU_CLM_COOKIE|cookie/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, "no stack trace");
    assert.equal(env.sandbox.journal.count("contract_search"), 0, "nothing was searched");
  } finally {
    await env.close();
  }
});

Deno.test("chatid e2e: wrong app secret is a config error at once, no retry storm", async () => {
  const env = await chatIdEnv({}, { app: { app_secret: "wrong" } });
  try {
    const ex = env.sandbox.examples(1);
    await Deno.writeTextFile(`${env.dir}/in.txt`, ex.ok[0]);
    const r = await runChatIdProcess([`${env.dir}/in.txt`, "--config", env.config, ...quiet]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /App Secret/);
    assert.ok(env.sandbox.journal.count("tenant_token") <= 1);
  } finally {
    await env.close();
  }
});

Deno.test("chatid e2e: usage errors exit 2", async () => {
  const r = await runChatIdProcess(["/nonexistent/contracts.txt"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /找不到文件/);
  const r2 = await runChatIdProcess(["--bogus"]);
  assert.equal(r2.code, 2);
});

// A real child process (quick set: the in-process resume tests cover the journal; see tests/_test_size.ts).
Deno.test(
  "chatid e2e: kill -9 mid-run, then resume: nothing lost, nothing repeated",
  { ignore: QUICK },
  async () => {
    const env = await chatIdEnv({ contractCount: 200 }, { rate_limit: { concurrency: 2 } });
    try {
      env.sandbox.faults.set("*", { latencyMs: 15 });
      const ex = env.sandbox.examples(30);
      const list = [...ex.ok, ...ex.noChat.slice(0, 5), ...ex.notFound.slice(0, 5)];
      await Deno.writeTextFile(`${env.dir}/in.txt`, list.join("\n"));
      // Kill hard once some contracts are journaled.
      const child = await spawnUntilRows(env, `${env.dir}/in.txt`, 8);
      child.kill("SIGKILL");
      await child.status;
      const before = await journalRows(env);
      assert.ok(before.length >= 8 && before.length < list.length, `killed mid-run (${before.length} done)`);
      const doneBefore = new Set(before.map((l) => JSON.parse(l).contract_number as string));
      env.sandbox.journal.clear();
      const code = await silenced(() => main([`${env.dir}/in.txt`, "--config", env.config, ...quiet]));
      assert.equal(code, 0);
      const rows = await readChatIdExcel(env.output);
      assert.deepEqual(rows.map((r) => r.contract_number), list, "every contract once, in input order");
      // Contracts finished before the kill were not searched again.
      const searched = env.sandbox.journal.entries.filter((e) => e.endpoint === "contract_search").length;
      assert.equal(searched, list.length - doneBefore.size);
      assert.equal(rows.filter((r) => r.status === "SUCCESS").length, ex.ok.length);
    } finally {
      await env.close();
    }
  },
);

Deno.test("chatid e2e: session expiring mid-run stops with AUTH_FAILED kept, resume finishes it", async () => {
  const env = await chatIdEnv({}, { rate_limit: { concurrency: 1 } });
  try {
    const ex = env.sandbox.examples(6);
    await Deno.writeTextFile(`${env.dir}/in.txt`, ex.ok.join("\n"));
    // Expire the session once two contracts are through (the session check is the 1st call).
    const timer = setInterval(() => {
      if (env.sandbox.journal.count("cooperation_info") >= 3) {
        env.sandbox.faults.expireSessions();
        clearInterval(timer);
      }
    }, 1);
    env.sandbox.faults.set("*", { latencyMs: 20 });
    const code = await silenced(() => main([`${env.dir}/in.txt`, "--config", env.config, ...quiet]));
    clearInterval(timer);
    assert.equal(code, 1, "credential failure is fatal");
    const partial = await readChatIdExcel(env.output);
    assert.ok(partial.length < ex.ok.length, "stopped early");
    assert.equal(partial.at(-1)!.status, "AUTH_FAILED");
    env.sandbox.faults.restoreSessions();
    env.sandbox.faults.clear();
    const code2 = await silenced(() => main([`${env.dir}/in.txt`, "--config", env.config, ...quiet]));
    assert.equal(code2, 0);
    const rows = await readChatIdExcel(env.output);
    assert.deepEqual(rows.map((r) => r.contract_number), ex.ok);
    assert.ok(rows.every((r) => r.status === "SUCCESS"), "AUTH_FAILED rows were re-run on resume");
  } finally {
    await env.close();
  }
});

Deno.test("chatid e2e: logs never contain the secret, the cookie or a token", async () => {
  const env = await chatIdEnv();
  try {
    const ex = env.sandbox.examples(3);
    await Deno.writeTextFile(`${env.dir}/in.txt`, [...ex.ok, ex.notFound[0]].join("\n"));
    env.sandbox.faults.failNext("contract_search", 1, "auth");
    const r = await runChatIdProcess([`${env.dir}/in.txt`, "--config", env.config, ...quiet]);
    assert.equal(r.code, 0);
    const tokens = env.sandbox.state.tokens.records.map((t) => t.value);
    assert.ok(tokens.length >= 1);
    let logs = r.stdout + r.stderr;
    for await (const e of Deno.readDir(`${env.dir}/logs`)) {
      logs += await Deno.readTextFile(`${env.dir}/logs/${e.name}`);
    }
    assert.ok(logs.includes('"endpoint":"contract_search"'), "logs were written");
    for (const secret of ["sandbox-secret", "sandbox-session", ...tokens]) {
      assert.ok(!logs.includes(secret), `secret leaked: ${secret.slice(0, 6)}…`);
    }
  } finally {
    await env.close();
  }
});

// A real SIGINT to a child process: full suite only (tests/_test_size.ts).
Deno.test("chatid e2e: Ctrl+C writes the Excel with what is done (exit 130), a re-run completes it", {
  ignore: QUICK,
}, async () => {
  const env = await chatIdEnv({ contractCount: 200 }, { rate_limit: { concurrency: 1 } });
  try {
    env.sandbox.faults.set("*", { latencyMs: 20 });
    const ex = env.sandbox.examples(20);
    await Deno.writeTextFile(`${env.dir}/in.txt`, ex.ok.join("\n"));
    const child = await spawnUntilRows(env, `${env.dir}/in.txt`, 3, "piped");
    child.kill("SIGINT");
    const out = await child.output();
    assert.equal(out.code, 130);
    assert.match(new TextDecoder().decode(out.stderr), /Ctrl\+C/);
    const partial = await readChatIdExcel(env.output);
    assert.ok(partial.length >= 3 && partial.length < ex.ok.length, `partial rows: ${partial.length}`);
    assert.ok(partial.every((r) => r.status === "SUCCESS"));
    const code = await silenced(() => main([`${env.dir}/in.txt`, "--config", env.config, ...quiet]));
    assert.equal(code, 0);
    assert.deepEqual((await readChatIdExcel(env.output)).map((r) => r.contract_number), ex.ok);
  } finally {
    await env.close();
  }
});
