import assert from "node:assert/strict";
import { readChatIdExcel } from "../../pipelines/chatid/output.ts";
import { main } from "../../scripts/chatid.ts";
import { chatIdEnv } from "./_env.ts";

/** Run main() with console output captured. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const log = console.log, error = console.error;
  const out: string[] = [], err: string[] = [];
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    const code = await main(args);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

async function snapshot(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile) out[e.name] = (await Deno.stat(`${dir}/${e.name}`)).mtime!.getTime();
  }
  return out;
}

Deno.test("chatid: an empty or all-junk input is a usage error (exit 2) that sends nothing and touches no output", async () => {
  const env = await chatIdEnv();
  try {
    const ex = env.sandbox.examples(2);
    await Deno.writeTextFile(`${env.dir}/good.txt`, ex.ok.join("\n"));
    assert.equal((await run([`${env.dir}/good.txt`, "--config", env.config, "--quiet"])).code, 0);
    const before = await snapshot(env.dir);
    const requests = env.sandbox.journal.count();
    const cases: Record<string, Uint8Array | string> = {
      "empty.txt": "",
      "blank.txt": "\n\n  \r\n# only a comment\n",
      "junk.txt": "contract_number\n合同编号\nHT-1 Acme Ltd\n<html>\n",
    };
    for (const [name, content] of Object.entries(cases)) {
      const p = `${env.dir}/${name}`;
      if (typeof content === "string") await Deno.writeTextFile(p, content);
      const r = await run([p, "--config", env.config, "--quiet"]);
      assert.equal(r.code, 2, `${name}: ${r.err}`);
      assert.match(r.err, /没有有效的合同编号.*未发送任何请求，已有输出未改动/);
      before[name] = (await Deno.stat(p)).mtime!.getTime();
    }
    const junk = await run([`${env.dir}/junk.txt`, "--config", env.config, "--quiet"]);
    assert.match(junk.err, /跳过 4 个不像合同编号的值/);
    assert.match(junk.err, /第 3 行 "HT-1 Acme Ltd"：含空白字符/);
    assert.equal(env.sandbox.journal.count(), requests, "no request was sent");
    assert.deepEqual(await snapshot(env.dir), before, "output, journal and backups untouched");
    assert.equal((await readChatIdExcel(env.output)).length, 2, "the earlier result is intact");
  } finally {
    await env.close();
  }
});

Deno.test("chatid: a binary file, a directory and random bytes named .xlsx exit 2 with what is wrong", async () => {
  const env = await chatIdEnv();
  try {
    const bin = `${env.dir}/contracts.txt`;
    const bytes = crypto.getRandomValues(new Uint8Array(4096));
    bytes[100] = 0;
    await Deno.writeFile(bin, bytes);
    const b = await run([bin, "--config", env.config, "--quiet"]);
    assert.equal(b.code, 2);
    assert.match(b.err, /不是(文本文件|有效的 UTF-8 文本)/);
    const d = await run([env.dir, "--config", env.config, "--quiet"]);
    assert.equal(d.code, 2);
    assert.match(d.err, /不是文件/);
    assert.doesNotMatch(d.err, /意外错误|os error/);
    const x = `${env.dir}/in.xlsx`;
    await Deno.writeFile(x, crypto.getRandomValues(new Uint8Array(4096)));
    const r = await run([x, "--config", env.config, "--quiet"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /不是有效的 xlsx 文件/);
    assert.doesNotMatch(r.err, /缺少 contract_number 列/);
    const rf = await run(["--retry-failed", x, "--config", env.config, "--quiet"]);
    assert.equal(rf.code, 2);
    assert.match(rf.err, /不是有效的 xlsx 文件/);
    await Deno.writeTextFile(`${env.dir}/ok.txt`, "HT-2024-000001\n");
    const o = await run([`${env.dir}/ok.txt`, "--config", env.config, "--quiet", "-o", env.dir]);
    assert.equal(o.code, 2);
    assert.match(o.err, /输出路径 .* 不是文件（是目录）/);
    const c = await run([`${env.dir}/ok.txt`, "--config", env.dir, "--quiet"]);
    assert.equal(c.code, 1);
    assert.match(c.err, /配置文件 .* 不是文件（是目录）/);
    assert.equal(env.sandbox.journal.count("tenant_token"), 0, "nothing was sent");
    await assert.rejects(Deno.stat(env.output), Deno.errors.NotFound);
  } finally {
    await env.close();
  }
});

Deno.test("chatid: implausible lines are listed and skipped; only plausible numbers reach the API", async () => {
  const env = await chatIdEnv({}, { rate_limit: { concurrency: 1 } });
  try {
    const ex = env.sandbox.examples(2);
    await Deno.writeTextFile(
      `${env.dir}/in.txt`,
      `contract_number\n${ex.ok[0]}\n${"9".repeat(300)}\n${ex.ok[1]}\n`,
    );
    const r = await run([`${env.dir}/in.txt`, "--config", env.config, "--quiet"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /跳过 2 个不像合同编号的值/);
    assert.match(r.err, /第 3 行 "9+…"（共 300 个字符）：过长/);
    assert.match(r.err, /输入：2 个合同编号（跳过空行 0、注释 0、不像合同编号的值 2/);
    assert.deepEqual((await readChatIdExcel(env.output)).map((x) => x.contract_number), ex.ok.slice(0, 2));
    assert.equal(env.sandbox.journal.count("contract_search"), 2);
  } finally {
    await env.close();
  }
});

Deno.test("chatid: a better existing output is backed up to .bak before a worse one replaces it; --force skips the copy", async () => {
  const env = await chatIdEnv({}, { rate_limit: { concurrency: 1 } });
  try {
    const ex = env.sandbox.examples(3);
    await Deno.writeTextFile(`${env.dir}/all.txt`, ex.ok.join("\n"));
    await Deno.writeTextFile(`${env.dir}/one.txt`, ex.ok[0]);
    assert.equal((await run([`${env.dir}/all.txt`, "--config", env.config, "--quiet"])).code, 0);
    const full = await Deno.readFile(env.output);
    // Fewer rows: the earlier workbook is copied to .bak first, byte for byte.
    const r = await run([`${env.dir}/one.txt`, "--config", env.config, "--quiet"]);
    assert.equal(r.code, 0);
    assert.match(r.err, /SUCCESS 3 行，共 3 行.*更完整，已先备份为 .*\.bak/);
    assert.deepEqual(await Deno.readFile(`${env.output}.bak`), full);
    assert.equal((await readChatIdExcel(env.output)).length, 1);
    // Fewer SUCCESS rows with as many rows: worse too; the first .bak is never overwritten.
    assert.equal((await run([`${env.dir}/all.txt`, "--config", env.config, "--quiet"])).code, 0);
    env.sandbox.faults.set("contract_search", { errorStatus: 400, errorCode: 99991672 });
    env.sandbox.faults.failNext("contract_search", 1, "error");
    const w = await run([`${env.dir}/all.txt`, "--config", env.config, "--quiet"]);
    assert.equal(w.code, 0);
    const baks = [...Deno.readDirSync(env.dir)].map((e) => e.name).filter((n) => n.endsWith(".bak"));
    assert.equal(baks.length, 2, `two backups: ${baks}`);
    assert.deepEqual(await Deno.readFile(`${env.output}.bak`), full, "the first backup is kept");
    // An equal or better result replaces without a copy.
    assert.equal((await run([`${env.dir}/all.txt`, "--config", env.config, "--quiet"])).code, 0);
    const after = [...Deno.readDirSync(env.dir)].filter((e) => e.name.endsWith(".bak")).length;
    assert.equal(after, 2);
    // --force: a worse result replaces without a copy, and says so.
    const f = await run([`${env.dir}/one.txt`, "--config", env.config, "--quiet", "--force"]);
    assert.equal(f.code, 0);
    assert.match(f.err, /被 --force 直接替换/);
    assert.equal([...Deno.readDirSync(env.dir)].filter((e) => e.name.endsWith(".bak")).length, 2);
    assert.equal((await readChatIdExcel(env.output)).length, 1);
  } finally {
    await env.close();
  }
});

Deno.test("chatid: the summary's retry count includes the retry after a refused token", async () => {
  const env = await chatIdEnv({}, { rate_limit: { concurrency: 1 } });
  try {
    const ex = env.sandbox.examples(2);
    await Deno.writeTextFile(`${env.dir}/in.txt`, ex.ok.join("\n"));
    env.sandbox.faults.failNext("contract_search", 1, "auth"); // 99991663 once: refresh, retry
    env.sandbox.faults.set("contract_and_task", { errorStatus: 500 });
    env.sandbox.faults.failNext("contract_and_task", 1, "error"); // one 5xx, retried, then fine
    const r = await run([`${env.dir}/in.txt`, "--config", env.config, "--quiet"]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /重试 2 次/);
    const rows = await readChatIdExcel(env.output);
    assert.deepEqual(rows.map((x) => x.status), ["SUCCESS", "SUCCESS"]);
    assert.deepEqual(rows.map((x) => x.retry_count), [2, 0], "a successful contract keeps its retries");
    assert.equal(env.sandbox.journal.count("tenant_token"), 2);
  } finally {
    await env.close();
  }
});

Deno.test("chatid: a wrong-type config value is explained in Chinese (exit 1, no 'Invalid input')", async () => {
  const env = await chatIdEnv({}, { rate_limit: { concurrency: "fast" }, input: { max_length: "long" } });
  try {
    await Deno.writeTextFile(`${env.dir}/in.txt`, "HT-1\n");
    const r = await run([`${env.dir}/in.txt`, "--config", env.config, "--quiet"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /配置项 rate_limit\.concurrency（文件 .*）：类型或取值错误，应为 数字 或 "auto"/);
    assert.match(r.err, /配置项 input\.max_length（文件 .*）：类型错误，应为 数字/);
    assert.doesNotMatch(r.err, /Invalid input/);
  } finally {
    await env.close();
  }
});
