import assert from "node:assert/strict";
import { isWorse, keepBetterOutput } from "../../pipelines/chatid/keep_better_output.ts";
import { writeChatIdExcel } from "../../pipelines/chatid/output.ts";
import type { ChatIdRow } from "../../pipelines/chatid/row.ts";
import type { ChatIdStatus } from "../../pipelines/chatid/status.ts";

const row = (n: string, status: ChatIdStatus): ChatIdRow => ({
  contract_number: n,
  contract_id: "",
  cooperation_id: "",
  openChatId: "",
  status,
  error_code: "",
  error_message: "",
  retry_count: 0,
  duration_ms: 0,
  started_at: "",
  finished_at: "",
});

Deno.test("worse = fewer SUCCESS rows or fewer rows", () => {
  assert.equal(isWorse({ rows: 3, success: 2 }, { rows: 3, success: 3 }), true);
  assert.equal(isWorse({ rows: 2, success: 2 }, { rows: 3, success: 2 }), true);
  assert.equal(isWorse({ rows: 3, success: 3 }, { rows: 3, success: 3 }), false);
  assert.equal(isWorse({ rows: 4, success: 3 }, { rows: 3, success: 1 }), false);
});

Deno.test("keepBetterOutput: none, better, worse, unreadable, --force", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chatid-keep-" });
  try {
    const out = `${dir}/out.xlsx`;
    assert.deepEqual(await keepBetterOutput(out, [row("A1", "SUCCESS")]), {}, "no existing output");
    await writeChatIdExcel(out, [row("A1", "SUCCESS"), row("A2", "NO_CHAT_GROUP")], false);
    const better = await keepBetterOutput(out, [row("A1", "SUCCESS"), row("A2", "SUCCESS")]);
    assert.deepEqual(better, { previous: { rows: 2, success: 1 } });
    const worse = await keepBetterOutput(out, [row("A1", "UNKNOWN_ERROR"), row("A2", "NO_CHAT_GROUP")]);
    assert.equal(worse.backupPath, `${out}.bak`);
    assert.deepEqual(await Deno.readFile(`${out}.bak`), await Deno.readFile(out));
    const forced = await keepBetterOutput(out, [], { force: true });
    assert.equal(forced.backupPath, undefined);
    assert.match(forced.note!, /--force 直接替换/);
    await Deno.writeTextFile(out, "not a workbook");
    const unreadable = await keepBetterOutput(out, [row("A1", "SUCCESS")], {
      now: new Date("2026-01-02T03:04:05Z"),
    });
    assert.equal(
      unreadable.backupPath,
      `${out}.20260102T030405.bak`,
      "an existing .bak is never overwritten",
    );
    assert.match(unreadable.note!, /无法读取，无法比较，已先备份为/);
    assert.equal(await Deno.readTextFile(unreadable.backupPath!), "not a workbook");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
