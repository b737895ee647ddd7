/** TableWriteQueue: writes to one table run one at a time, in order; tables are independent. */
import assert from "node:assert/strict";
import { TableWriteQueue } from "../../lib/bitable/mod.ts";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

Deno.test("TableWriteQueue: serial per table, in order, a failure does not block the next", async () => {
  const q = new TableWriteQueue();
  const order: string[] = [];
  const g = gate();
  const first = q.run("app/tbl1", async () => {
    order.push("a-start");
    await g.opened;
    order.push("a-end");
    throw new Error("boom");
  });
  const second = q.run("app/tbl1", () => {
    order.push("b");
    return Promise.resolve(2);
  });
  const other = q.run("app/tbl2", () => {
    order.push("other");
    return Promise.resolve(3);
  });
  assert.equal(await other, 3);
  assert.deepEqual(order, ["a-start", "other"]);
  assert.equal(q.running, 1);
  g.open();
  await assert.rejects(first, /boom/);
  assert.equal(await second, 2);
  assert.deepEqual(order, ["a-start", "other", "a-end", "b"]);
  assert.equal(q.maxConcurrentPerTable, 1);
  await Promise.resolve();
  assert.equal(q.activeTables, 0);
});
