/**
 * The sandbox's permission-member endpoints (open.feishu.cn/document/server-docs/docs/
 * permission/permission-member/…): 1063001 invalid parameter naming what, 1063002
 * permission denied [403], 1063003 not a collaborator, 1063005 deleted or unknown
 * [404]; registered non-docx documents, wiki `perm_type`, minutes without full access.
 */
import assert from "node:assert/strict";
import { docsFamily } from "../../sandbox/docx/family.ts";
import { type Answer, call, token, withSandbox } from "./_helpers.ts";

function refused(a: Answer, status: number, code: number, what?: RegExp) {
  assert.equal(a.status, status, a.text);
  assert.equal(a.body.code, code, a.text);
  if (what) assert.match(a.body.msg, what);
}

Deno.test("drive permissions sandbox: document checks, member checks, update/remove of non-collaborators", async () => {
  await withSandbox({ defaultRateLimits: false }, async ({ sandbox, url }) => {
    const fam = docsFamily(sandbox.state);
    const appId = sandbox.state.options.apps[0].appId;
    const mine = fam.docs.create(appId, "我的").id;
    const theirs = fam.docs.create("cli_someone_else", "别人的").id;
    const gone = fam.docs.create(appId, "已删").id;
    fam.docs.delete(gone);
    fam.permissions.registerDocument("shtcnSheet01", "sheet");
    fam.permissions.registerDocument("wikcnWiki01", "wiki");
    fam.permissions.registerDocument("obcnMinutes01", "minutes");
    const bearer = await token(url);
    const send = (method: string, path: string, body?: unknown) =>
      call(`${url}/open-apis/drive/v1/permissions/${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
    const user = { member_type: "openid", member_id: "ou_abc123", perm: "view" };

    refused(await send("POST", `${mine}/members`, user), 400, 1063001, /type/);
    refused(await send("POST", `${mine}/members?type=spreadsheet`, user), 400, 1063001, /type/);
    refused(await send("POST", `doxcnNOPE/members?type=docx`, user), 404, 1063005);
    refused(await send("POST", `${gone}/members?type=docx`, user), 404, 1063005);
    refused(await send("POST", `${theirs}/members?type=docx`, user), 403, 1063002);
    refused(await send("POST", `shtcnNOPE/members?type=sheet`, user), 404, 1063005);
    refused(await send("POST", `shtcnSheet01/members?type=bitable`, user), 400, 1063001, /does not match/);

    const d = `${mine}/members?type=docx`;
    refused(await send("POST", d, "not json"), 400, 1063001, /member_type/);
    refused(await send("POST", d, { ...user, member_type: "phone" }), 400, 1063001, /member_type/);
    refused(await send("POST", d, { ...user, member_id: "ab123" }), 400, 1063001, /member_id/);
    refused(
      await send("POST", d, { ...user, member_type: "email", member_id: "no-at-sign" }),
      400,
      1063001,
      /member_id/,
    );
    refused(await send("POST", d, { ...user, perm: "owner" }), 400, 1063001, /perm/);
    refused(await send("POST", d, { ...user, perm_type: "container" }), 400, 1063001, /perm_type/);
    refused(
      await send("POST", "obcnMinutes01/members?type=minutes", { ...user, perm: "full_access" }),
      400,
      1063001,
      /perm/,
    );
    const wiki = await send("POST", "wikcnWiki01/members?type=wiki", { ...user, perm_type: "single_page" });
    assert.equal(wiki.body.code, 0, wiki.text);
    assert.equal(wiki.body.data.member.perm_type, "single_page");
    const chat = await send("POST", "shtcnSheet01/members?type=sheet", {
      member_type: "openchat",
      member_id: "oc_chat01",
      perm: "edit",
    });
    assert.equal(chat.body.data.member.type, "chat");

    refused(
      await send("PUT", `${mine}/members/ou_abc123?type=docx`, { member_type: "openid", perm: "edit" }),
      400,
      1063003,
    );
    refused(await send("DELETE", `${mine}/members/ou_abc123?type=docx&member_type=openid`), 400, 1063003);
    refused(
      await send("DELETE", `${mine}/members/ou_abc123?type=docx&member_type=fax`),
      400,
      1063001,
      /member_type/,
    );
    assert.equal((await send("POST", d, user)).body.code, 0);
    const edited = await send("PUT", `${mine}/members/ou_abc123?type=docx`, {
      member_type: "openid",
      perm: "edit",
    });
    assert.equal(edited.body.data.member.perm, "edit");
    const listed = await send("GET", d);
    assert.deepEqual(listed.body.data.items.map((m: { perm: string }) => m.perm), ["edit"]);
    assert.equal(
      (await send("DELETE", `${mine}/members/ou_abc123?type=docx&member_type=openid`)).body.code,
      0,
    );
    assert.deepEqual((await send("GET", d)).body.data.items, []);
  });
});
