/**
 * End to end with real headless Chromium against an in-process sandbox:
 * QR login (PNG) → scan through the control endpoint → login kept in the
 * profile → three exports → notices listed and files downloaded; messenger
 * logout and re-login; the Open API collector over the same sandbox.
 */
import { waitFor as sharedWaitFor } from "../../lib/testing/wait_for.ts";
import assert from "node:assert/strict";
import * as XLSX from "xlsx";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { createSandbox, DEFAULT_SESSION } from "../../sandbox/mod.ts";
import {
  COOPERATION_EXPORT_PATH,
  DEFAULT_EXPORT_USER_TOKEN,
  exportFamily,
} from "../../sandbox/scenarios/export/mod.ts";
import { BrowserCollector, type QrPrompt } from "../../pipelines/export/collect_browser.ts";
import { OpenApiCollector } from "../../pipelines/export/collect_openapi.ts";
import type { ExportNotice } from "../../pipelines/export/collector.ts";

const at = (iso: string) => Date.parse(`${iso}+08:00`);
const WINDOWS: [string, string][] = [["2023-03-01", "2023-03-07"], ["2023-03-08", "2023-03-21"], [
  "2024-01-01",
  "2025-06-30",
]];

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const found = await sharedWaitFor(async () => {
    const v = await fn();
    return v === undefined ? undefined : { v };
  }, { timeoutMs, intervalMs: 100, what });
  return found.v;
}

async function fileExists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

function xlsxRows(bytes: Uint8Array): Record<string, unknown>[] {
  const wb = XLSX.read(bytes, { type: "array", dense: true });
  return XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]]);
}

Deno.test({
  name: "browser collector: QR login once, notices listed, files downloaded; Open API collector agrees",
  // Sanitizers off: puppeteer-core keeps the Chromium child's pipes and its own timers past close().
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const sandbox = createSandbox({
      // A page of 2 messages: listing and downloading must go through "加载更多".
      export: {
        recordCount: 3000,
        endDate: "2025-06-30",
        deliveryDelayMs: 300,
        messengerPollMs: 250,
        messengerPageSize: 2,
        // The Open API collector (compared below) reads with a user token: UNCONFIRMED, so the flag.
        imUserTokenReads: true,
      },
    });
    const server = await sandbox.listen();
    const tmp = await Deno.makeTempDir({ prefix: "feishu-kit-browser-test-" });
    const profileDir = `${tmp}/profile`;
    const qrSavePath = `${tmp}/qr/login_qr.png`;
    const printed: string[] = [];
    const prompts: QrPrompt[] = [];
    const base = {
      messengerUrl: `${server.url}/messenger/`,
      profileDir,
      qrSavePath,
      headless: true,
      loginTimeoutMs: 20_000,
      print: (line: string) => void printed.push(line),
      onQrCode: (p: QrPrompt) => void prompts.push(p),
    };
    const scan = async () => {
      const res = await fetch(`${server.url}/__sandbox/messenger/scan`, { method: "POST", body: "{}" });
      return (await res.json()).data.scanned as string[];
    };
    let second: BrowserCollector | undefined;
    try {
      // 1. First run: logged out → the QR code is saved as PNG and its path printed; scan it.
      const first = new BrowserCollector(base);
      const ready = first.ready();
      await waitFor("QR PNG", async () => (await fileExists(qrSavePath)) ? true : undefined);
      const png = await Deno.readFile(qrSavePath);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(prompts.length, 1);
      assert.equal(prompts[0].headed, false);
      assert.match(prompts[0].token ?? "", /^qr_/);
      assert.ok(
        printed.some((l) => l.startsWith("请用飞书 App 扫描二维码登录：") && l.includes("login_qr.png")),
      );
      assert.deepEqual(await scan(), [prompts[0].token]);
      await ready;
      assert.ok(printed.some((l) => l.includes("已登录")));
      await first.close();

      // 2. Second run on the same profile: no QR needed.
      prompts.length = 0;
      second = new BrowserCollector(base);
      await second.ready();
      assert.equal(prompts.length, 0, "login kept in the profile");
      const overview = await (await fetch(`${server.url}/__sandbox/messenger`)).json();
      assert.equal(overview.data.pending_logins.length, 0);

      // 3. Three exports through plain fetch.
      const since = Date.now();
      const declared: { total: number }[] = [];
      for (const [s, e] of WINDOWS) {
        const res = await fetch(server.url + COOPERATION_EXPORT_PATH, {
          method: "POST",
          headers: {
            cookie: `session=${DEFAULT_SESSION}`,
            "content-type": "application/json",
            "timezone-offset": "-480",
          },
          body: JSON.stringify({
            keyword: "",
            searchTabEnumCode: 0,
            searchCooperationByCreateTime: [at(`${s}T00:00:00.000`), at(`${e}T23:59:59.999`)],
          }),
        });
        declared.push((await res.json()).data);
      }
      assert.ok(declared[2].total > 1000, "the long window is truncated");

      // 4. The notices show up in the chat page (polling) and parse.
      const notices = await waitFor("3 notices", async () => {
        const n = await second!.listNotices(since);
        return n.length === 3 ? n : undefined;
      });
      const byStart = (s: string) => notices.find((n) => n.range?.start === s)!;
      WINDOWS.forEach(([s, e], i) => {
        const n = byStart(s);
        assert.ok(n, `notice for ${s}`);
        assert.deepEqual(n.range, { start: s, end: e });
        assert.equal(n.total, declared[i].total);
        assert.equal(n.truncated, declared[i].total > 1000);
        assert.ok(n.sentAt >= since);
      });
      assert.equal((await second.listNotices(Date.now() + 60_000)).length, 0, "since filters");

      // 5. Download the three files.
      const outDir = `${tmp}/out`;
      const browserFiles = new Map<string, Uint8Array>();
      for (const [i, [s]] of WINDOWS.entries()) {
        const n = byStart(s);
        const { path, bytes } = await second.download(n, outDir);
        assert.match(path, /协同操作记录_\d{19}\.xlsx$/);
        const data = await Deno.readFile(path);
        assert.equal(data.byteLength, bytes);
        assert.equal(xlsxRows(data.slice()).length, Math.min(declared[i].total, 1000));
        browserFiles.set(n.messageId, data);
      }
      const names = [...Deno.readDirSync(outDir)].map((e) => e.name);
      assert.equal(names.length, 3);
      assert.ok(names.every((n) => !n.endsWith(".part")));

      // 6. Messenger session expiry: the page falls back to the QR login; a scan restores it.
      await fetch(`${server.url}/__sandbox/messenger/logout`, { method: "POST" }).then((r) =>
        r.body?.cancel()
      );
      // The chat page polls, gets 401 and goes to the login page, which asks the sandbox for a QR.
      await waitFor("the login page's QR", async () => {
        const o = await (await fetch(`${server.url}/__sandbox/messenger`)).json();
        return o.data.pending_logins.length > 0 ? true : undefined;
      });
      const relisted = second.listNotices(since);
      const token = await waitFor("a new QR", () => Promise.resolve(prompts.at(-1)?.token));
      assert.deepEqual(await scan(), [token]);
      assert.equal((await relisted).length, 3);

      // 6b. Logged out again, then a download: log in again and the download still lands.
      await fetch(`${server.url}/__sandbox/messenger/logout`, { method: "POST" }).then((r) =>
        r.body?.cancel()
      );
      const before = prompts.length;
      const again = second.download(byStart(WINDOWS[0][0]), `${tmp}/again`);
      await waitFor("another QR", () => Promise.resolve(prompts.length > before ? true : undefined));
      await scan();
      const redo = await again;
      assert.deepEqual(await Deno.readFile(redo.path), browserFiles.get(byStart(WINDOWS[0][0]).messageId));

      // 7. The Open API collector sees the same notices and files.
      const api = new OpenApiCollector({
        http: new LarkHttp({ baseUrl: server.url }),
        auth: staticAuth("user:sandbox", { Authorization: `Bearer ${DEFAULT_EXPORT_USER_TOKEN}` }),
        chatId: exportFamily(sandbox.state).botChatId,
        pageSize: 2,
      });
      const apiNotices: ExportNotice[] = await api.listNotices(since);
      assert.deepEqual(apiNotices.map((n) => n.messageId).sort(), notices.map((n) => n.messageId).sort());
      for (const n of apiNotices) {
        assert.deepEqual(n, notices.find((b) => b.messageId === n.messageId));
        const { path } = await api.download(n, `${tmp}/api`);
        assert.deepEqual(await Deno.readFile(path), browserFiles.get(n.messageId));
      }
      await api.close();
    } finally {
      await second?.close();
      await server.close();
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
  },
});
