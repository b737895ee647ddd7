import assert from "node:assert/strict";
import * as XLSX from "xlsx";
import { FakeClock } from "../../lib/testing/mod.ts";
import {
  DEFAULT_EXPORT_USER_TOKEN,
  exportFamily,
  type ExportSandboxOptions,
  IM_MESSAGES_PATH,
} from "../../sandbox/scenarios/export/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { type Answer, call, postJson, token, withSandbox } from "./_helpers.ts";

const NOW = Date.parse("2025-07-01T10:00:00+08:00");
const USER = { authorization: `Bearer ${DEFAULT_EXPORT_USER_TOKEN}` };

/** Options with the UNCONFIRMED user-token reads on (the Open API collector's path) unless `extra` says otherwise. */
function opts(clock: FakeClock, extra: ExportSandboxOptions = {}) {
  return {
    clock,
    export: {
      recordCount: 3000,
      endDate: "2025-06-30",
      deliveryDelayMs: 0,
      imUserTokenReads: true,
      ...extra,
    },
  };
}

function list(
  url: string,
  query: Record<string, string>,
  headers: Record<string, string> = USER,
): Promise<Answer> {
  return call(`${url}${IM_MESSAGES_PATH}?${new URLSearchParams({ container_id_type: "chat", ...query })}`, {
    headers,
  });
}

async function seed(
  clock: FakeClock,
  sandbox: Parameters<Parameters<typeof withSandbox>[1]>[0]["sandbox"],
  n: number,
) {
  const family = exportFamily(sandbox.state);
  for (let i = 0; i < n; i++) {
    family.requestExport({
      fromMs: Date.parse(`2023-01-${String(i + 1).padStart(2, "0")}T00:00:00+08:00`),
      toMs: Date.parse(`2023-01-${String(i + 1).padStart(2, "0")}T23:59:59.999+08:00`),
      tzOffset: -480,
      keyword: "",
    });
    await clock.tick(1000);
  }
  return family;
}

Deno.test("IM API: notices and file messages of the bot chat, paged, with a user token", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(opts(clock), async ({ url, sandbox }) => {
    const family = await seed(clock, sandbox, 3);
    const chat = family.botChatId;
    const all = await list(url, { container_id: chat, page_size: "50" });
    assert.equal(all.status, 200, all.text);
    assert.equal(all.body.code, 0);
    const items = all.body.data.items;
    assert.equal(items.length, 2 + 3 * 2, "2 greetings + a notice and a file per export");
    for (const item of items) {
      assert.equal(item.chat_id, chat);
      assert.equal(item.sender.sender_type, "app");
      assert.equal(item.sender.id, family.botAppId);
      assert.match(item.create_time, /^\d{13}$/);
    }
    const notices = items.filter((i: { msg_type: string }) => i.msg_type === "text");
    const files = items.filter((i: { msg_type: string }) => i.msg_type === "file");
    assert.equal(files.length, 3);
    const t0 = family.tasks[0];
    const notice = notices.find((n: { message_id: string }) => n.message_id === t0.noticeMessageId);
    assert.equal(JSON.parse(notice.body.content).text, t0.text);
    const file = files[0];
    assert.deepEqual(JSON.parse(file.body.content), { file_key: t0.fileKey, file_name: t0.fileName });
    assert.equal(file.parent_id, t0.noticeMessageId);
    assert.equal(file.root_id, t0.noticeMessageId);
    assert.match(t0.fileKey, /^file_v3_/);

    // Paging and time filter (seconds) and descending order.
    const p1 = await list(url, { container_id: chat, page_size: "3" });
    assert.equal(p1.body.data.has_more, true);
    const p2 = await list(url, { container_id: chat, page_size: "3", page_token: p1.body.data.page_token });
    assert.equal(p2.body.data.items[0].message_id, items[3].message_id);
    const since = await list(url, {
      container_id: chat,
      start_time: String(Math.floor((NOW + 1000) / 1000)),
    });
    assert.equal(since.body.data.items.length, 4, "the last two exports");
    const desc = await list(url, { container_id: chat, sort_type: "ByCreateTimeDesc", page_size: "50" });
    assert.deepEqual(
      desc.body.data.items.map((i: { message_id: string }) => i.message_id),
      [
        ...items.map((i: { message_id: string }) => i.message_id),
      ].reverse(),
    );
    assert.equal(sandbox.journal.count("im_message_list"), 5);
  });
});

Deno.test("IM API: resource download streams the xlsx", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(opts(clock), async ({ url, sandbox }) => {
    const family = await seed(clock, sandbox, 1);
    const t = family.tasks[0];
    const res = await fetch(`${url}${IM_MESSAGES_PATH}/${t.fileMessageId}/resources/${t.fileKey}?type=file`, {
      headers: USER,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /spreadsheetml/);
    assert.equal(decodeURIComponent(res.headers.get("content-disposition")!.split("''")[1]), t.fileName);
    const wb = XLSX.read(new Uint8Array(await res.arrayBuffer()), { type: "array", dense: true });
    assert.equal(XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]]).length, t.rows);

    const wrongKey = await call(
      `${url}${IM_MESSAGES_PATH}/${t.fileMessageId}/resources/file_v3_x?type=file`,
      {
        headers: USER,
      },
    );
    assert.equal(wrongKey.status, 400);
    assert.equal(wrongKey.body.code, 234003);
    const notice = await call(
      `${url}${IM_MESSAGES_PATH}/${t.noticeMessageId}/resources/${t.fileKey}?type=file`,
      {
        headers: USER,
      },
    );
    assert.equal(notice.body.code, 234003, "the notice itself carries no file");
    const noType = await call(`${url}${IM_MESSAGES_PATH}/${t.fileMessageId}/resources/${t.fileKey}`, {
      headers: USER,
    });
    assert.equal(noType.body.code, 234001);
    const unknown = await call(`${url}${IM_MESSAGES_PATH}/om_unknown/resources/${t.fileKey}?type=file`, {
      headers: USER,
    });
    assert.equal(unknown.status, 400);
  });
});

Deno.test("IM API: tokens (missing, tenant, revoked user token) and parameters", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(opts(clock), async ({ url, sandbox }) => {
    const family = await seed(clock, sandbox, 1);
    const chat = family.botChatId;
    const none = await list(url, { container_id: chat }, {});
    assert.equal(none.status, 400);
    assert.equal(none.body.code, 99991661);
    const tenant = await list(url, { container_id: chat }, { authorization: `Bearer ${await token(url)}` });
    assert.equal(tenant.body.code, 230002, "the app's bot is not in the user's chat with 飞书合同");
    const t = family.tasks[0];
    const tenantFile = await call(
      `${url}${IM_MESSAGES_PATH}/${t.fileMessageId}/resources/${t.fileKey}?type=file`,
      {
        headers: { authorization: `Bearer ${await token(url)}` },
      },
    );
    assert.equal(tenantFile.body.code, 234004);
    const bogus = await list(url, { container_id: chat }, { authorization: "Bearer u-nope" });
    assert.equal(bogus.body.code, 99991668);

    for (
      const [q, field] of [
        [{ container_id: chat, page_size: "51" }, "page_size"],
        [{ container_id: chat, start_time: "yesterday" }, "start_time"],
        [{ container_id: chat, sort_type: "Random" }, "sort_type"],
        [{}, "container_id"],
      ] as const
    ) {
      const a = await list(url, q);
      assert.equal(a.body.code, 230001, field);
      assert.equal(a.body.error.field_violations[0].field, field);
    }
    const unknownChat = await list(url, { container_id: "oc_unknown" });
    assert.equal(unknownChat.status, 400);
    assert.equal(unknownChat.body.code, 230001);

    assert.equal((await postJson(`${url}/__sandbox/export`, { revokeUserTokens: true })).body.code, 0);
    assert.equal((await list(url, { container_id: chat })).body.code, 99991668);
    await postJson(`${url}/__sandbox/export`, { addUserToken: "eyJ.sandbox.user" });
    const ok = await list(url, { container_id: chat }, { authorization: "Bearer eyJ.sandbox.user" });
    assert.equal(ok.body.code, 0);
  });
});

Deno.test("IM API: tenant tokens when the app's bot is in the chat; interactive notices (no resources in cards)", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(
    opts(clock, { appBotInChats: true, imUserTokenReads: false, noticeMsgType: "interactive" }),
    async ({ url, sandbox }) => {
      const family = await seed(clock, sandbox, 1);
      const bearer = { authorization: `Bearer ${await token(url)}` };
      const a = await list(url, { container_id: family.botChatId }, bearer);
      assert.equal(a.body.code, 0);
      const card = a.body.data.items.find((i: { msg_type: string }) => i.msg_type === "interactive");
      assert.ok(card);
      assert.ok(card.body.content.includes(family.tasks[0].text));
      const t = family.tasks[0];
      const inCard = await call(
        `${url}${IM_MESSAGES_PATH}/${t.noticeMessageId}/resources/${t.fileKey}?type=file`,
        {
          headers: bearer,
        },
      );
      assert.equal(inCard.body.code, 234043);
      const file = await fetch(
        `${url}${IM_MESSAGES_PATH}/${t.fileMessageId}/resources/${t.fileKey}?type=file`,
        {
          headers: bearer,
        },
      );
      assert.equal(file.status, 200);
      await file.body?.cancel();
    },
  );
});

Deno.test("IM API: a user token from the sandbox's OAuth (meeting family) is accepted", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(opts(clock), async ({ url, sandbox }) => {
    const family = await seed(clock, sandbox, 1);
    const meeting = meetingFamily(sandbox);
    const user = meeting.directory.users[0];
    const { code } = meeting.authorize({ user_id: user.openId, redirect_uri: "http://127.0.0.1:1/cb" });
    const t = await postJson(url + "/open-apis/authen/v2/oauth/token", {
      grant_type: "authorization_code",
      client_id: "cli_a1b2c3d4e5f60718",
      client_secret: "sandbox-secret",
      code,
    });
    const bearer = { authorization: `Bearer ${t.body.access_token}` };
    const a = await list(url, { container_id: family.botChatId }, bearer);
    assert.equal(a.body.code, 0, a.text);
    assert.equal(a.body.data.items.length, 4);
  });
});

Deno.test("IM API: documented default: tenant token only, bot in chat; user tokens not supported", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(opts(clock, { imUserTokenReads: false }), async ({ url, sandbox }) => {
    const family = await seed(clock, sandbox, 1);
    const t = family.tasks[0];
    const resource = `${url}${IM_MESSAGES_PATH}/${t.fileMessageId}/resources/${t.fileKey}?type=file`;
    const asUser = await list(url, { container_id: family.botChatId });
    assert.equal(asUser.status, 400);
    assert.equal(asUser.body.code, 99991668);
    assert.equal(asUser.body.msg, "user access token not support");
    assert.equal((await call(resource, { headers: USER })).body.code, 99991668);
    const tenant = { authorization: `Bearer ${await token(url)}` };
    assert.equal((await list(url, { container_id: family.botChatId }, tenant)).body.code, 230002);
    assert.equal((await call(resource, { headers: tenant })).body.code, 234004);
  });
});

Deno.test("IM API: the resource download honours Range (206, 416)", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(opts(clock), async ({ url, sandbox }) => {
    const family = await seed(clock, sandbox, 1);
    const t = family.tasks[0];
    const resource = `${url}${IM_MESSAGES_PATH}/${t.fileMessageId}/resources/${t.fileKey}?type=file`;
    const whole = new Uint8Array(await (await fetch(resource, { headers: USER })).arrayBuffer());
    const part = await fetch(resource, { headers: { ...USER, range: "bytes=10-" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), `bytes 10-${whole.length - 1}/${whole.length}`);
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), whole.slice(10));
    const beyond = await fetch(resource, { headers: { ...USER, range: `bytes=${whole.length}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get("content-range"), `bytes */${whole.length}`);
    await beyond.body?.cancel();
  });
});
