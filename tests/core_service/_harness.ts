/**
 * The core service against the sandbox: sandbox on 127.0.0.1 (tokens, card
 * messages, clicks), the service behind `serveGuarded`, a card router whose
 * "approve" handler counts runs per click and turns "审批中" into "已通过".
 */
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { cardFamily } from "../../sandbox/card/family.ts";
import { LarkHttp } from "../../lib/http/lark_http.ts";
import { serveGuarded } from "../../lib/http/serve_guarded.ts";
import { createLogger, MemorySink } from "../../lib/log/logger.ts";
import type { JobQueue } from "../../lib/queue/job_queue.ts";
import { LarkTokenEndpoints } from "../../lib/token/lark_token_endpoints.ts";
import { MemoryTokenStore } from "../../lib/token/token_store_memory.ts";
import { TokenManager } from "../../lib/token/token_manager.ts";
import {
  type CardJob,
  CardRouter,
  type HandledLedger,
  PatchCardUpdater,
  SqliteHandledLedger,
} from "../../lib/callback/mod.ts";
import { createCoreService, MemoryAdminRegistry } from "../../pipelines/core/mod.ts";

export const ENCRYPT_KEY = "encrypt-key-for-tests";
export const VERIFICATION_TOKEN = "verification-token-for-tests";
export const ADMIN_TOKEN = "admin-token-for-tests-0123456789";
export const APP_ID = DEFAULT_APP_ID;

/** A card in state `status` with an approve button. */
export function approvalCard(status: string): Record<string, unknown> {
  return {
    schema: "2.0",
    config: { update_multi: true },
    header: { title: { tag: "plain_text", content: `报销单：${status}` } },
    body: {
      elements: [
        { tag: "markdown", content: `状态：${status}` },
        ...(status === "审批中"
          ? [{ tag: "button", text: { tag: "plain_text", content: "通过" }, value: { action: "approve" } }]
          : []),
      ],
    },
  };
}

/** Options of {@linkcode startCore}. */
export interface CoreHarnessOptions {
  queue: JobQueue<CardJob>;
  whenQueueDown?: "refuse" | "inline";
  /** More service instances, one per queue (same router, ledger, sandbox): a multi-host deployment. */
  extraQueues?: JobQueue<CardJob>[];
  /** Ledger (default SQLite in a temp dir). */
  ledger?: HandledLedger;
  /** Handler failure injection: throw on these attempt numbers. */
  failAttempts?: number[];
  /** Awaited by the handler before it does anything (hold jobs in flight). */
  handlerGate?: () => Promise<void>;
}

/** Start sandbox + core. */
export async function startCore(o: CoreHarnessOptions) {
  const dir = await Deno.makeTempDir({ prefix: "core_svc_" });
  const sandbox = createSandbox();
  const sbx = await sandbox.listen({ port: 0 });
  const cards = cardFamily(sandbox.state);
  const tokens = new TokenManager({
    store: new MemoryTokenStore(),
    endpoints: new LarkTokenEndpoints({ baseUrl: sbx.url }),
    apps: (id) => id === APP_ID ? { appId: id, appSecret: DEFAULT_APP_SECRET } : undefined,
  });
  const http = new LarkHttp({ baseUrl: sbx.url, auth: tokens.tenantAuth(APP_ID), retry: { baseMs: 10 } });
  const runs = new Map<string, number>();
  const router = new CardRouter().on("approve", async (action, ctx) => {
    await o.handlerGate?.();
    if (o.failAttempts?.includes(ctx.attempt)) throw new Error("handler failed on purpose");
    runs.set(action.eventId, (runs.get(action.eventId) ?? 0) + 1);
    return {
      card: approvalCard("已通过"),
      toast: { type: "success" as const, content: "已通过" },
    };
  });
  const ledger = o.ledger ?? new SqliteHandledLedger(`${dir}/ledger.db`);
  const sink = new MemorySink();
  const registry = new MemoryAdminRegistry();
  const makeService = (queue: JobQueue<CardJob>) =>
    createCoreService({
      queue,
      router,
      ledger,
      updater: new PatchCardUpdater(() => http),
      callback: { appId: APP_ID, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN },
      whenQueueDown: o.whenQueueDown,
      admin: { registry, token: ADMIN_TOKEN },
      logger: createLogger({ sinks: [sink] }),
    });
  const service = makeService(o.queue);
  const server = serveGuarded({ hostname: "127.0.0.1", port: 0 }, service.fetch);
  const extras = (o.extraQueues ?? []).map((q) => {
    const s = makeService(q);
    return { queue: q, service: s, server: serveGuarded({ hostname: "127.0.0.1", port: 0 }, s.fetch) };
  });
  const url = `http://127.0.0.1:${server.addr.port}`;
  const urls = [url, ...extras.map((e) => `http://127.0.0.1:${e.server.addr.port}`)];

  /** Seed `n` cards in state 审批中; returns their message ids. */
  const seed = (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = `om_${crypto.randomUUID().replaceAll("-", "")}`;
      cards.messages.set(id, {
        messageId: id,
        appId: APP_ID,
        card: approvalCard("审批中"),
        history: [],
        updates: 0,
      });
      ids.push(id);
    }
    return ids;
  };

  /** Let the sandbox deliver a click; returns what the service answered. */
  const click = async (messageId: string, extra: Record<string, unknown> = {}, instance = 0) => {
    const res = await fetch(`${sbx.url}/__sandbox/card/click`, {
      method: "POST",
      body: JSON.stringify({
        callback_url: `${urls[instance % urls.length]}/callback/card`,
        app_id: APP_ID,
        message_id: messageId,
        open_id: "ou_clicker",
        action: { value: { action: "approve" } },
        encrypt_key: ENCRYPT_KEY,
        verification_token: VERIFICATION_TOKEN,
        ...extra,
      }),
    });
    const body = await res.json();
    return body.data as { event_id: string; status: number; body: string };
  };

  return {
    url,
    queue: o.queue,
    sandboxUrl: sbx.url,
    sandbox,
    cards,
    runs,
    ledger,
    logs: sink,
    registry,
    service,
    seed,
    click,
    /** Whether message `id` shows 已通过. */
    approved: (id: string) => JSON.stringify(cards.messages.get(id)?.card ?? {}).includes("已通过"),
    async close() {
      for (const e of extras) {
        await e.service.stop();
        await e.server.shutdown();
        await e.queue.close();
      }
      await service.stop();
      await server.shutdown();
      await sbx.close();
      await o.queue.close();
      await ledger.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Run `fn` over `items` with at most `n` at once. */
export async function pool<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}
