import assert from "node:assert/strict";
import type { ExportNotice } from "../../pipelines/export/collector.ts";
import { type MatchCandidate, matchNotices } from "../../pipelines/export/match.ts";
import {
  enrichNotice,
  formatNoticeText,
  isExportNotice,
  parseNoticeText,
} from "../../pipelines/export/notice_parse.ts";

Deno.test("notice: the sandbox contract text, with and without truncation", () => {
  const plain = formatNoticeText({ start: "2022-01-01", end: "2022-01-07" }, 312);
  assert.equal(plain, "协同操作记录导出完成：2022-01-01 至 2022-01-07，共 312 条");
  assert.deepEqual(parseNoticeText(plain), { range: { start: "2022-01-01", end: "2022-01-07" }, total: 312 });
  const cut = formatNoticeText({ start: "2023-06-23", end: "2023-06-23" }, 1250);
  assert.equal(
    cut,
    "协同操作记录导出完成：2023-06-23 至 2023-06-23，共 1250 条，超出单次导出上限 1000 条，文件仅包含前 1000 条",
  );
  assert.deepEqual(parseNoticeText(cut), {
    range: { start: "2023-06-23", end: "2023-06-23" },
    total: 1250,
    truncated: true,
    rowsInFile: 1000,
  });
  assert.ok(isExportNotice(cut));
  assert.ok(!isExportNotice("您有一份合同待审批"));
});

Deno.test("notice: lenient variants", () => {
  assert.deepEqual(parseNoticeText("导出完成 2022/1/8~2022/1/31 共1,234条").range, {
    start: "2022-01-08",
    end: "2022-01-31",
  });
  assert.equal(parseNoticeText("导出完成 2022/1/8~2022/1/31 共1,234条").total, 1234);
  assert.deepEqual(parseNoticeText("协同操作记录导出完成：2022年1月8日 到 2022年2月1日，共 0 条").range, {
    start: "2022-01-08",
    end: "2022-02-01",
  });
  assert.deepEqual(parseNoticeText("导出完成：2022-01-01-2022-01-07").range, {
    start: "2022-01-01",
    end: "2022-01-07",
  });
  assert.deepEqual(parseNoticeText("协同操作记录导出完成，请下载"), {});
  const n = enrichNotice({
    messageId: "m",
    text: "导出完成：2022-01-01 至 2022-01-02，共 5 条",
    sentAt: 1,
    total: 6,
  });
  assert.equal(n.total, 6, "a collector's own total wins over the text");
  assert.deepEqual(n.range, { start: "2022-01-01", end: "2022-01-02" });
});

const T = 1_700_000_000_000;
function cand(
  id: number,
  start: string,
  end: string,
  at: number,
  total: number | null = null,
): MatchCandidate {
  return { id, start, end, requestedAt: T + at, declaredTotal: total };
}
function notice(id: string, at: number, text: string): ExportNotice {
  return enrichNotice({ messageId: id, sentAt: T + at, text });
}

Deno.test("match: by range first, whatever the order of messages", () => {
  const c = [cand(1, "2022-01-01", "2022-01-07", 0, 300), cand(2, "2022-01-08", "2022-01-31", 1000, 900)];
  const n = [
    notice("b", 5000, formatNoticeText({ start: "2022-01-08", end: "2022-01-31" }, 900)),
    notice("a", 6000, formatNoticeText({ start: "2022-01-01", end: "2022-01-07" }, 300)),
    notice("x", 7000, formatNoticeText({ start: "2021-01-01", end: "2021-01-07" }, 5)),
  ];
  const r = matchNotices(c, n);
  assert.deepEqual(r.matches.map((m) => [m.windowId, m.notice.messageId, m.by]), [[2, "b", "range"], [
    1,
    "a",
    "range",
  ]]);
  assert.deepEqual(r.unmatched.map((x) => x.messageId), ["x"]);
});

Deno.test("match: a notice sent before a window was (re)requested is not its notice", () => {
  const c = [cand(1, "2022-01-01", "2022-01-07", 600_000)];
  const old = notice("old", 0, formatNoticeText({ start: "2022-01-01", end: "2022-01-07" }, 300));
  const fresh = notice("new", 610_000, formatNoticeText({ start: "2022-01-01", end: "2022-01-07" }, 300));
  assert.deepEqual(matchNotices(c, [old]).matches, []);
  assert.equal(matchNotices(c, [old, fresh]).matches[0].notice.messageId, "new");
  // Clock skew within the allowance is fine.
  assert.equal(matchNotices(c, [notice("skew", 550_000, fresh.text)]).matches.length, 1);
});

Deno.test("match: without a range, by order and count", () => {
  const c = [
    cand(1, "2022-01-01", "2022-01-07", 0, 300),
    cand(2, "2022-01-08", "2022-01-20", 1000, 700),
    cand(3, "2022-01-21", "2022-01-31", 2000, null),
  ];
  const n = [
    notice("m2", 3000, "协同操作记录导出完成，共 700 条"),
    notice("m1", 2500, "协同操作记录导出完成，共 300 条"),
    notice("m3", 4000, "协同操作记录导出完成"),
  ];
  const r = matchNotices(c, n);
  assert.deepEqual(r.matches.map((m) => [m.notice.messageId, m.windowId, m.by]), [["m1", 1, "order"], [
    "m2",
    2,
    "order",
  ], ["m3", 3, "order"]]);
  // A count that fits no window leaves the notice unmatched.
  const r2 = matchNotices([cand(1, "2022-01-01", "2022-01-07", 0, 300)], [
    notice("z", 10, "导出完成，共 999 条"),
  ]);
  assert.equal(r2.matches.length, 0);
  assert.equal(r2.unmatched.length, 1);
});
