/**
 * Issue 7 §1, every store: `node:sqlite` cuts TEXT at a NUL on reading and turns lone
 * surrogates into U+FFFD on writing. No user- or server-supplied string may come back
 * different, collide with another one, or wedge a queue. Each store test fails on the code
 * before the fix (values came back cut, distinct ids collided).
 */
import assert from "node:assert/strict";
import { ContactCache } from "../../lib/contact/contact_cache.ts";
import {
  decodeSqliteText,
  encodeSqliteText,
  isSqliteSafeText,
  openSafeDatabase,
} from "../../lib/sqlite/mod.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { ChatIdJournal } from "../../pipelines/chatid/journal.ts";
import type { ChatIdRow } from "../../pipelines/chatid/row.ts";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { JobStore } from "../../pipelines/meeting/job_store.ts";

const HOSTILE = [
  "a\u0000b",
  "a\u0000c",
  "\u0000",
  "s\uD800",
  "s\uD801",
  "s\uDC00x",
  "s\uFFFD",
  "\u0001~",
  '\u0001~"x"',
  "\u0001~not json",
  "'; DROP TABLE t; --",
  "普通文本 🎉",
  "",
];

const POSIX = Deno.build.os !== "windows";

async function withDir(fn: (dir: string) => Promise<void> | void) {
  const dir = await Deno.makeTempDir({ prefix: "sqlite-text-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A random string from hostile code units (NULs, surrogate halves, the escape mark, ASCII). */
function randomText(rand: () => number): string {
  const units = [0, 1, 0x7e, 0x22, 0x5c, 0x41, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfffd, 0x4e2d];
  let s = "";
  const n = Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) s += String.fromCharCode(units[Math.floor(rand() * units.length)]);
  return s;
}

function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

Deno.test("encodeSqliteText is lossless and injective; safe text is stored as itself", () => {
  const rand = prng(7);
  const seen = new Map<string, string>();
  for (const s of [...HOSTILE, ...Array.from({ length: 3000 }, () => randomText(rand))]) {
    const enc = encodeSqliteText(s);
    assert.ok(isSqliteSafeText(enc), JSON.stringify(s));
    assert.equal(decodeSqliteText(enc), s);
    const prev = seen.get(enc);
    assert.ok(prev === undefined || prev === s, `collision: ${JSON.stringify(prev)} / ${JSON.stringify(s)}`);
    seen.set(enc, s);
  }
  assert.equal(encodeSqliteText("meeting-6911188411932033028"), "meeting-6911188411932033028");
});

Deno.test("SafeDatabase: random hostile keys and values round-trip through a real table", async () => {
  await withDir(async (dir) => {
    const db = openSafeDatabase(`${dir}/t.sqlite`, { schema: "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)" });
    const rand = prng(11);
    const want = new Map<string, string>();
    const put = db.prepare("INSERT OR REPLACE INTO t (k, v) VALUES (:k, :v)");
    for (let i = 0; i < 500; i++) {
      const k = randomText(rand), v = randomText(rand);
      put.run({ k, v });
      want.set(k, v);
    }
    const got = new Map(db.prepare("SELECT k, v FROM t").all().map((r) => [String(r.k), String(r.v)]));
    assert.deepEqual(got, want);
    for (const [k, v] of want) assert.equal(db.prepare("SELECT v FROM t WHERE k = ?").get(k)?.v, v);
    db.close();
    if (POSIX) assert.equal((await Deno.stat(`${dir}/t.sqlite`)).mode! & 0o777, 0o600);
  });
});

Deno.test("job store: hostile meeting ids, users and topics round-trip; near-identical meetings stay distinct", async () => {
  await withDir((dir) => {
    const store = new JobStore(`${dir}/meeting.sqlite`, { clock: new FakeClock(1_768_788_000_000) });
    try {
      for (const id of HOSTILE) {
        const r = store.enqueue({
          meetingId: `m-${id}`,
          userId: `u-${id}`,
          topic: `周会${id}`,
          userName: id,
          startTime: "1768788000",
          endTime: "1768791600",
        });
        assert.equal(r.created, true, JSON.stringify(id));
        assert.equal(r.job.meetingId, `m-${id}`);
        assert.equal(r.job.topic, `周会${id}`);
        assert.equal(store.find(`m-${id}`, `u-${id}`)?.id, r.job.id);
      }
      const claimed = store.claimDue(Date.now() + 1e12, 100, { owner: "w1" });
      assert.equal(claimed.length, HOSTILE.length);
      const j = claimed[0];
      const updated = store.update(
        j.id,
        "w1",
        { reason: "失败\u0000原因\uD800", lastError: "x\u0000y" },
        true,
      );
      assert.equal(updated?.reason, "失败\u0000原因\uD800");
      assert.equal(updated?.lastError, "x\u0000y");
    } finally {
      store.close();
    }
  });
});

Deno.test("export ledger: hostile task ids, notice ids and texts round-trip; the notice index keeps them apart", async () => {
  await withDir(async (dir) => {
    const ledger = ExportLedger.open(`${dir}/ledger.sqlite`);
    try {
      const ids = HOSTILE.filter((s) => s !== "");
      const windows = ids.map((_, i) =>
        ledger.insert({ start: `2022-01-${String(i + 1).padStart(2, "0")}`, end: "2022-02-01" })
      );
      ids.forEach((id, i) => {
        const w = ledger.update(windows[i].id, {
          taskId: id,
          noticeId: `n${id}`,
          noticeText: id,
          reason: id,
        });
        assert.ok(w, JSON.stringify(id));
      });
      const used = new Set(ledger.list().map((w) => w.noticeId));
      for (const id of ids) assert.ok(used.has(`n${id}`), JSON.stringify(id));
      for (const [i, id] of ids.entries()) {
        const w = ledger.get(windows[i].id)!;
        assert.equal(w.taskId, id);
        assert.equal(w.noticeText, id);
      }
      ledger.setMeta("fingerprint", "f\u0000p");
      assert.equal(ledger.getMeta("fingerprint"), "f\u0000p");
    } finally {
      ledger.close();
    }
    if (POSIX) assert.equal((await Deno.stat(`${dir}/ledger.sqlite`)).mode! & 0o777, 0o600);
  });
});

Deno.test("contact cache: hostile user ids, names and department names round-trip per id", async () => {
  const api = {
    userIdType: "user_id" as const,
    departmentIdType: "open_department_id" as const,
    getUser: (id: string) =>
      Promise.resolve({ id, name: `名${id}`, email: undefined, departmentIds: [`d${id}`] }),
    getDepartment: (id: string) => Promise.resolve({ id, name: `部门${id}` }),
  };
  const cache = new ContactCache({
    path: ":memory:",
    appId: "cli_test",
    api: api as unknown as ConstructorParameters<typeof ContactCache>[0]["api"],
  });
  try {
    for (const id of HOSTILE.filter((s) => s !== "")) {
      const u = await cache.getUser(id);
      assert.equal(u.name, `名${id}`);
      assert.deepEqual(u.departments, [{ id: `d${id}`, name: `部门d${id}` }]);
      // From the cache now: the same again, not a neighbour's entry.
      assert.equal((await cache.getUser(id)).name, `名${id}`);
      assert.equal(await cache.getDepartmentName(`d${id}`), `部门d${id}`);
    }
  } finally {
    cache.close();
  }
});

Deno.test("chatid journal: hostile contract numbers resume exactly; the journal is owner-only", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/out.xlsx.journal.ndjson`;
    const row = (n: string): ChatIdRow => ({
      contract_number: n,
      contract_id: "",
      cooperation_id: "",
      openChatId: "",
      status: "NOT_FOUND_CONTRACT",
      error_code: "110107",
      error_message: n,
      retry_count: 0,
      duration_ms: 1,
      started_at: "",
      finished_at: "",
    } as ChatIdRow);
    const numbers = HOSTILE.filter((s) => s !== "");
    const j = new ChatIdJournal(path);
    await j.open("hash-1");
    for (const n of numbers) await j.append(row(n));
    j.close();
    if (POSIX) assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const again = new ChatIdJournal(path);
    const done = await again.open("hash-1");
    again.close();
    assert.deepEqual([...done.keys()].sort(), [...numbers].sort());
    for (const n of numbers) assert.equal(done.get(n)?.error_message, n);
  });
});
