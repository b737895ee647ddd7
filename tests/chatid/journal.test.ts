import assert from "node:assert/strict";
import { ChatIdJournal, hashInput } from "../../pipelines/chatid/journal.ts";
import type { ChatIdRow } from "../../pipelines/chatid/row.ts";
import { percentile } from "../../pipelines/chatid/summary.ts";

function row(n: string, status: ChatIdRow["status"] = "SUCCESS"): ChatIdRow {
  return {
    contract_number: n,
    contract_id: "1",
    cooperation_id: "2",
    openChatId: "oc_x",
    status,
    error_code: "",
    error_message: "",
    retry_count: 0,
    duration_ms: 5,
    started_at: "",
    finished_at: "",
  };
}

Deno.test("journal: resume the same input, ignore a torn last line", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/j.ndjson`;
  const h = await hashInput(["A", "B", "C"]);
  const j1 = new ChatIdJournal(path);
  assert.equal((await j1.open(h)).size, 0);
  await j1.append(row("A"));
  await j1.append(row("B", "NO_CHAT_GROUP"));
  j1.close();
  await Deno.writeTextFile(path, '{"type":"row","contract_number":"C","ro', { append: true });
  const j2 = new ChatIdJournal(path);
  const done = await j2.open(h);
  assert.deepEqual([...done.keys()].sort(), ["A", "B"]);
  assert.equal(done.get("B")!.status, "NO_CHAT_GROUP");
  j2.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("journal: another input or a completed run starts afresh and keeps the old file", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/j.ndjson`;
  const h1 = await hashInput(["A"]);
  const j = new ChatIdJournal(path);
  await j.open(h1);
  await j.append(row("A"));
  j.close();
  const other = new ChatIdJournal(path);
  assert.equal((await other.open(await hashInput(["A", "Z"]))).size, 0);
  await other.append(row("Z"));
  await other.complete();
  other.close();
  const again = new ChatIdJournal(path);
  assert.equal((await again.open(await hashInput(["A", "Z"]))).size, 0, "completed run is not resumed");
  again.close();
  const olds = [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".old"));
  assert.equal(olds.length, 2);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("percentile: nearest rank", () => {
  assert.equal(percentile([], 50), 0);
  assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
  assert.equal(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95), 95);
});
