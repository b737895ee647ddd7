/** Collaborators of docs, sheets and Bases against the sandbox's drive v1 permission endpoints. */
import assert from "node:assert/strict";
import { DocxApi } from "../../lib/docx/mod.ts";
import { PermissionApi } from "../../lib/drive/mod.ts";
import {
  BadRequestError,
  NotFoundError,
  ParamError,
  PermissionError,
  RateLimitError,
} from "../../lib/errors/mod.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { docsFamily } from "../../sandbox/docx/family.ts";
import { withDocs } from "../docx/_env.ts";

Deno.test("permissions: grant, change, list, revoke on a docx, a sheet and a Base", async () => {
  await withDocs({}, async ({ http, sandbox }) => {
    const perms = new PermissionApi(http());
    const { documentId } = await new DocxApi(http()).createDocument({ title: "共享" });
    const fam = docsFamily(sandbox.state);
    fam.permissions.registerDocument("shtcnSheet1", "sheet");
    fam.permissions.registerDocument("bascnBase1", "bitable");
    const added = await perms.add(documentId, {
      type: "docx",
      memberType: "openid",
      memberId: "ou_abc",
      perm: "edit",
    });
    assert.deepEqual(added, {
      memberType: "openid",
      memberId: "ou_abc",
      perm: "edit",
      permType: undefined,
      type: "user",
      name: undefined,
    });
    await perms.add(documentId, {
      type: "docx",
      memberType: "email",
      memberId: "li@example.com",
      perm: "manage",
    });
    await perms.add(documentId, { type: "docx", memberType: "openchat", memberId: "oc_team", perm: "view" });
    const changed = await perms.update(documentId, {
      type: "docx",
      memberType: "openid",
      memberId: "ou_abc",
      perm: "view",
    });
    assert.equal(changed.perm, "view");
    const list = await perms.list(documentId, "docx");
    assert.deepEqual(
      list.map((m) => [m.memberId, m.perm, m.type]),
      [["ou_abc", "view", "user"], ["li@example.com", "full_access", "user"], ["oc_team", "view", "chat"]],
    );
    assert.ok(list.every((m) => m.name), "the list carries names");
    await perms.remove(documentId, { type: "docx", memberType: "openid", memberId: "ou_abc" });
    assert.equal((await perms.list(documentId, "docx")).length, 2);

    await perms.add("shtcnSheet1", { type: "sheet", memberType: "openid", memberId: "ou_s", perm: "edit" });
    await perms.add("bascnBase1", {
      type: "bitable",
      memberType: "opendepartmentid",
      memberId: "od-1",
      perm: "view",
    });
    assert.equal((await perms.list("bascnBase1", "bitable"))[0].type, "department");
    const q = new URLSearchParams(sandbox.journal.filter("drive_member_create").at(-1)!.query);
    assert.equal(q.get("type"), "bitable");
  });
});

Deno.test("permissions: documented refusals are typed errors", async () => {
  await withDocs({}, async ({ http, sandbox }) => {
    const perms = new PermissionApi(http());
    const fam = docsFamily(sandbox.state);
    fam.permissions.registerDocument("shtcnGone", "sheet");
    fam.permissions.deleteDocument("shtcnGone");
    await assert.rejects(
      perms.list("shtcnGone", "sheet"),
      (e) => e instanceof NotFoundError && e.code === 1063005,
    );
    await assert.rejects(perms.list("doxcnUnknown", "docx"), NotFoundError);
    fam.permissions.registerDocument("shtcnX", "sheet");
    // Wrong type for the token → 1063001.
    await assert.rejects(
      perms.list("shtcnX", "bitable"),
      (e) => e instanceof BadRequestError && e.code === 1063001,
    );
    // Revoking someone who is not a collaborator → 1063003.
    await assert.rejects(
      perms.remove("shtcnX", { type: "sheet", memberType: "openid", memberId: "ou_none" }),
      (e) => e instanceof BadRequestError && e.code === 1063003,
    );
    // A bad open_id shape reaches Feishu (the client only checks it is text) → 1063001.
    await assert.rejects(
      perms.add("shtcnX", { type: "sheet", memberType: "openid", memberId: "not-an-open-id", perm: "view" }),
      (e) => e instanceof BadRequestError && e.code === 1063001,
    );
    const other = fam.docs.create("cli_other_app", "别人的");
    await assert.rejects(
      perms.add(other.id, { type: "docx", memberType: "openid", memberId: "ou_a", perm: "view" }),
      (e) => e instanceof PermissionError && e.code === 1063002,
    );
  });
});

Deno.test("permissions: input checked before any request (the field is named)", async () => {
  let calls = 0;
  const perms = new PermissionApi(
    new LarkHttp({ baseUrl: "http://127.0.0.1:9", fetch: () => (calls++, Promise.reject(new Error("x"))) }),
  );
  const m = { type: "docx", memberType: "openid", memberId: "ou_a", perm: "view" } as const;
  const field = (f: string) => (e: unknown) => e instanceof ParamError && e.field === f;
  await assert.rejects(perms.add("doxcnA", { ...m, perm: "comment" as never }), field("perm"));
  await assert.rejects(perms.add("doxcnA", { ...m, type: "spreadsheet" as never }), field("type"));
  await assert.rejects(perms.add("doxcnA", { ...m, memberType: "mobile" as never }), field("memberType"));
  await assert.rejects(perms.add("doxcnA", { ...m, memberId: "" }), field("memberId"));
  await assert.rejects(perms.add("doxcn/A", m), field("token"));
  await assert.rejects(perms.add("obcnA", { ...m, type: "minutes", perm: "manage" }), field("perm"));
  await assert.rejects(perms.add("doxcnA", { ...m, permType: "single_page" }), field("permType"));
  await assert.rejects(perms.list("doxcnA", "doc x" as never), field("type"));
  assert.equal(calls, 0);
});

Deno.test("permissions: member create is limited to 100/min", async () => {
  const clock = new FakeClock(Date.UTC(2026, 11, 1));
  await withDocs({ clock }, async ({ http, sandbox }) => {
    const perms = new PermissionApi(http({ retry: { retries: 0 } }));
    docsFamily(sandbox.state).permissions.registerDocument("shtcnBusy", "sheet");
    for (let i = 0; i < 100; i++) {
      await perms.add("shtcnBusy", {
        type: "sheet",
        memberType: "openid",
        memberId: `ou_${i}`,
        perm: "view",
      });
    }
    const e = await perms.add("shtcnBusy", {
      type: "sheet",
      memberType: "openid",
      memberId: "ou_x",
      perm: "view",
    })
      .catch((e) => e);
    assert.ok(e instanceof RateLimitError && e.httpStatus === 429);
  });
});
