/**
 * The sandbox's docx v1 endpoints refuse bad input with the codes of the
 * docx error table (open.feishu.cn/document/server-docs/docs/docs/docx-v1/…):
 * 1770001 invalid param [400], 1770002 not found [404], 1770003 deleted [400],
 * 1770013 relation mismatch [400], 1770025 operation and block not match [400],
 * 1770032 forbidden [403]; the app limit answers HTTP 400 + 99991400 with the
 * rate-limit headers, and a client token replays the first answer.
 */
import assert from "node:assert/strict";
import { docsFamily } from "../../sandbox/docx/family.ts";
import { type Answer, call, token, withSandbox } from "./_helpers.ts";

const DOCS = "/open-apis/docx/v1/documents";
/** These tests send more than the documented 3 edits/s; the last one checks the limit itself. */
const NO_LIMITS = { defaultRateLimits: false } as const;

interface Api {
  /** Send `body` (JSON) with the tenant token. */
  send(method: string, path: string, body?: unknown, raw?: string): Promise<Answer>;
}

async function api(url: string, appId?: string, secret?: string): Promise<Api> {
  const bearer = appId
    ? (await call(`${url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ app_id: appId, app_secret: secret }),
    })).body.tenant_access_token
    : await token(url);
  return {
    send: (method, path, body, raw) =>
      call(url + path, {
        method,
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json; charset=utf-8" },
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      }),
  };
}

function refused(a: Answer, status: number, code: number, msg?: RegExp) {
  assert.equal(a.status, status, a.text);
  assert.equal(a.body.code, code, a.text);
  if (msg) assert.match(a.body.msg, msg);
}

const text = (content: string) => ({ block_type: 2, text: { elements: [{ text_run: { content } }] } });

Deno.test("docx sandbox: bad create and list parameters are 1770001; unknown and deleted documents 1770002/1770003", async () => {
  await withSandbox(NO_LIMITS, async ({ sandbox, url }) => {
    const a = await api(url);
    refused(await a.send("POST", DOCS, { title: "标".repeat(801) }), 400, 1770001, /title/);
    refused(await a.send("POST", DOCS, { title: 7 }), 400, 1770001, /title/);
    refused(await a.send("POST", DOCS, { folder_token: 12 }), 400, 1770001, /folder_token/);
    // A body that is not an object is an empty request: a document without a title.
    const untitled = await a.send("POST", DOCS, undefined, "[1,2]");
    assert.equal(untitled.body.code, 0, untitled.text);
    assert.equal(untitled.body.data.document.title, "");

    const made = await a.send("POST", DOCS, { title: "周报" });
    const id = made.body.data.document.document_id;
    for (
      const q of ["page_size=0", "page_size=501", "page_size=2.5", "page_token=%25%25", "page_token=LTE="]
    ) {
      refused(await a.send("GET", `${DOCS}/${id}/blocks?${q}`), 400, 1770001, /page_/);
    }
    refused(await a.send("GET", `${DOCS}/doxcnNOPE/blocks`), 404, 1770002);
    refused(await a.send("GET", `${DOCS}/doxcnNOPE/raw_content`), 404, 1770002);
    docsFamily(sandbox.state).docs.delete(id);
    refused(await a.send("GET", `${DOCS}/${id}/raw_content`), 400, 1770003);
    refused(
      await a.send("POST", `${DOCS}/${id}/blocks/${id}/children`, { children: [text("x")] }),
      400,
      1770003,
    );
  });
});

Deno.test("docx sandbox: another app's document is 1770032 (403) until it is shared", async () => {
  const other = { appId: "cli_other_app_0001", appSecret: "other-secret" };
  await withSandbox(
    { ...NO_LIMITS, apps: [{ appId: "cli_a1b2c3d4e5f60001", appSecret: "s3cr3t" }, other] },
    async ({ sandbox, url }) => {
      const owner = await api(url, "cli_a1b2c3d4e5f60001", "s3cr3t");
      const stranger = await api(url, other.appId, other.appSecret);
      const id = (await owner.send("POST", DOCS, { title: "私有" })).body.data.document.document_id;
      refused(await stranger.send("GET", `${DOCS}/${id}/raw_content`), 403, 1770032);
      docsFamily(sandbox.state).docs.get(id)!.sharedWith.add(other.appId);
      const shared = await stranger.send("GET", `${DOCS}/${id}/raw_content`);
      assert.equal(shared.body.code, 0, shared.text);
      assert.equal(shared.body.data.content, "私有\n");
    },
  );
});

Deno.test("docx sandbox: children are checked one by one (1770001 names the field), index range, no-children blocks", async () => {
  await withSandbox(NO_LIMITS, async ({ url }) => {
    const a = await api(url);
    const id = (await a.send("POST", DOCS, { title: "t" })).body.data.document.document_id;
    const kids = (children: unknown, index?: unknown) =>
      a.send("POST", `${DOCS}/${id}/blocks/${id}/children`, { children, index });
    refused(
      await a.send("POST", `${DOCS}/${id}/blocks/doxcnNOPE/children`, { children: [text("x")] }),
      404,
      1770002,
    );
    refused(await kids([]), 400, 1770001, /1-50/);
    refused(await kids(Array.from({ length: 51 }, () => text("x"))), 400, 1770001, /1-50/);
    const cases: [unknown, RegExp][] = [
      [null, /children\[0\]$/],
      [{ block_type: 999 }, /block_type/],
      [{ block_type: 2 }, /children\[0\]\.text$/],
      [{ block_type: 2, text: { elements: [] } }, /text\.elements/],
      [{ block_type: 2, text: { elements: [{ text_run: { content: 5 } }] } }, /text\.elements/],
      [
        { block_type: 14, code: { elements: [{ text_run: { content: "x" } }], style: { language: 0 } } },
        /language/,
      ],
      [{ block_type: 31, table: { property: { row_size: "2", column_size: 2 } } }, /table\.property/],
      [{ block_type: 31, table: { property: { row_size: 0, column_size: 2 } } }, /table\.property/],
    ];
    for (const [child, msg] of cases) refused(await kids([child]), 400, 1770001, msg);
    refused(await kids([text("x")], 5), 400, 1770001, /index/);
    refused(await kids([text("x")], 1.5), 400, 1770001, /index/);

    // A 2×2 table gets its four cells, each holding an empty text block.
    const table = await kids([{ block_type: 31, table: { property: { row_size: 2, column_size: 2 } } }], -1);
    assert.equal(table.body.code, 0, table.text);
    const cells: string[] = table.body.data.children[0].children;
    assert.equal(cells.length, 4);
    // A heading takes no children (1770028, UNCONFIRMED code).
    const heading = await kids([{
      block_type: 3,
      heading1: { elements: [{ text_run: { content: "标题" } }] },
    }]);
    assert.equal(heading.body.code, 0, heading.text);
    const headingId = heading.body.data.children[0].block_id;
    refused(
      await a.send("POST", `${DOCS}/${id}/blocks/${headingId}/children`, { children: [text("x")] }),
      400,
      1770028,
    );
    // Inserted at index 0: first in the raw content after the title.
    await kids([text("开头")], 0);
    const raw = await a.send("GET", `${DOCS}/${id}/raw_content`);
    assert.match(raw.body.data.content, /^t\n开头\n/);
  });
});

Deno.test("docx sandbox: block updates — one operation, matching block type, uploaded image only; batch is all or nothing", async () => {
  await withSandbox(NO_LIMITS, async ({ url }) => {
    const a = await api(url);
    const id = (await a.send("POST", DOCS, { title: "t" })).body.data.document.document_id;
    const made = await a.send("POST", `${DOCS}/${id}/blocks/${id}/children`, {
      children: [text("一"), { block_type: 27, image: {} }],
    });
    const [para, image] = made.body.data.children.map((b: { block_id: string }) => b.block_id);
    const patch = (block: string, body: unknown, raw?: string) =>
      a.send("PATCH", `${DOCS}/${id}/blocks/${block}`, body, raw);
    refused(await patch("doxcnNOPE", { update_text_elements: { elements: [] } }), 404, 1770002);
    refused(await patch(para, undefined, "not json"), 400, 1770001, /body/);
    refused(await patch(para, {}), 400, 1770001, /exactly one/);
    refused(
      await patch(para, { update_text_style: { style: {} }, update_text_elements: { elements: [] } }),
      400,
      1770001,
      /exactly one/,
    );
    refused(await patch(para, { update_text_elements: { elements: [] } }), 400, 1770001, /elements/);
    refused(await patch(para, { update_text_style: {} }), 400, 1770001, /style/);
    refused(await patch(para, { replace_image: { token: "x" } }), 400, 1770025);
    refused(await patch(image, { update_text_style: { style: { bold: true } } }), 400, 1770025);
    refused(await patch(image, { replace_image: { token: "boxcnNOTUPLOADED" } }), 400, 1770013);
    refused(await patch(para, { merge_table_cells: {} }), 400, 1770001, /merge_table_cells/);
    const styled = await patch(para, { update_text_style: { style: { bold: true } } });
    assert.equal(styled.body.code, 0, styled.text);
    assert.equal(styled.body.data.block.text.style.bold, true);

    const batch = (requests: unknown) => a.send("PATCH", `${DOCS}/${id}/blocks/batch_update`, { requests });
    refused(await batch([]), 400, 1770001, /1-200/);
    refused(await batch("x"), 400, 1770001, /1-200/);
    const before = (await a.send("GET", `${DOCS}/${id}/raw_content`)).body.data.content;
    // The first update is valid, the second block does not exist: nothing is applied.
    refused(
      await batch([
        { block_id: para, update_text_elements: { elements: [{ text_run: { content: "改" } }] } },
        { block_id: "doxcnNOPE", update_text_style: { style: {} } },
      ]),
      404,
      1770002,
    );
    refused(
      await batch([
        { block_id: para, update_text_elements: { elements: [{ text_run: { content: "改" } }] } },
        { block_id: image, update_text_style: { style: {} } },
      ]),
      400,
      1770025,
    );
    assert.equal((await a.send("GET", `${DOCS}/${id}/raw_content`)).body.data.content, before);
  });
});

Deno.test("docx sandbox: a client token replays the first answer; the app limit is HTTP 400 + 99991400 with reset headers", async () => {
  await withSandbox({ rateLimits: { docx_document_create: { perSecond: 2 } } }, async ({ url }) => {
    const a = await api(url);
    const id = (await a.send("POST", DOCS, { title: "t" })).body.data.document.document_id;
    const path = `${DOCS}/${id}/blocks/${id}/children?client_token=ct-1`;
    const first = await a.send("POST", path, { children: [text("一次")] });
    const again = await a.send("POST", path, { children: [text("两次")] });
    assert.deepEqual(again.body.data, first.body.data, "the same answer, nothing added");
    const raw = await a.send("GET", `${DOCS}/${id}/raw_content`);
    assert.equal(raw.body.data.content, "t\n一次\n");

    await a.send("POST", DOCS, { title: "2" }); // the second create of this second
    const limited = await a.send("POST", DOCS, { title: "3" });
    refused(limited, 400, 99991400);
    assert.ok(Number(limited.headers.get("x-ogw-ratelimit-reset")) >= 0);
    assert.equal(limited.headers.get("x-ogw-ratelimit-limit"), "2");
  });
});
