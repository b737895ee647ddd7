/**
 * The desktop UI's local server (Hono on loopback): the page, its state as
 * JSON, live updates as Server-Sent Events, and the actions (start/stop,
 * settings, origin answers, open a job folder). Every request must name a
 * loopback `Host` (no DNS rebinding); every action must carry the page's
 * `x-ui-token` and, when the browser sends one, the page's own `Origin`
 * (no cross-site requests).
 *
 * @module
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { maskValue } from "../../lib/log/mod.ts";
import type { AttachmentsApp } from "./attachments_app.ts";
import { isLoopbackHost, type OriginAnswer } from "./origin_policy.ts";
import { uiPage } from "./ui_page.ts";
import { uiLanguage } from "./ui_text.ts";

/** Options of {@linkcode startUiServer}. */
export interface UiServerOptions {
  /** The program the UI shows and controls. */
  app: AttachmentsApp;
  /** Port (0 = any free one). */
  port: number;
  /** Opens a folder in the OS file manager (default: xdg-open / open / explorer). */
  openFolder?: (path: string) => Promise<void>;
}

/** A running UI server. */
export interface UiServer {
  /** The page's URL (loopback). */
  url: string;
  /** Stop the server. */
  close(): Promise<void>;
}

/** The UI state sent to the page. */
export function uiState(app: AttachmentsApp): Record<string, unknown> {
  const snap = app.monitor.snapshot(app.fileDisplayLimit);
  return {
    ...snap,
    running: app.running,
    language: app.language,
    pairingToken: app.pairingToken,
    settings: {
      output: app.settings.output,
      host: app.host,
      port: app.port,
      fileDisplayLimit: app.fileDisplayLimit,
      tokenSet: !!app.settings.personalBaseToken,
      tokenMasked: app.settings.personalBaseToken ? maskValue(app.settings.personalBaseToken) : "",
    },
    // The plugin's empty fallback "probe" config is not a job worth listing.
    history: app.store.history(50).filter((h) => h.total > 0).map((h) => ({
      key: h.key,
      name: h.config.name,
      mode: h.config.mode,
      status: h.status,
      startedAt: h.startedAt,
      finishedAt: h.finishedAt,
      total: h.total,
      done: h.done,
      failed: h.failed,
      dir: h.dir,
      error: h.error,
      failedFiles: h.failed
        ? app.store.files(h.key).filter((f) => f.status === "failed").slice(0, 200).map((f) => ({
          name: f.item.name,
          path: f.item.path,
          error: f.error,
        }))
        : [],
    })),
  };
}

/** Serve the UI on `127.0.0.1:port`. */
export function startUiServer(o: UiServerOptions): Promise<UiServer> {
  const uiToken = crypto.randomUUID();
  const hono = new Hono();
  let self = "";
  hono.use("*", async (c, next) => {
    if (!isLoopbackHost(c.req.header("host"))) return c.text("forbidden host", 403);
    if (c.req.method !== "GET") {
      const origin = c.req.header("origin");
      if (c.req.header("x-ui-token") !== uiToken || (origin && origin !== self)) {
        return c.text("forbidden", 403);
      }
    }
    await next();
    c.header("x-frame-options", "DENY");
    c.header("cache-control", "no-store");
  });
  hono.get("/", (c) => c.html(uiPage(uiToken)));
  hono.get("/api/state", (c) => c.json(uiState(o.app)));
  hono.get("/api/events", (c) =>
    streamSSE(c, async (stream) => {
      let wake: (() => void) | undefined;
      const off = o.app.monitor.subscribe(() => wake?.());
      stream.onAbort(() => {
        off();
        wake?.();
      });
      try {
        while (!stream.aborted) {
          await stream.writeSSE({ event: "state", data: JSON.stringify(uiState(o.app)) });
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, 5000);
          });
        }
      } finally {
        off();
      }
    }));
  hono.post("/api/start", async (c) => {
    try {
      await o.app.start();
      return c.json({ ok: true });
    } catch (e) {
      return c.json({ ok: false, error: `启动失败：${(e as Error).message}` }, 500);
    }
  });
  hono.post("/api/stop", async (c) => {
    await o.app.stop();
    return c.json({ ok: true });
  });
  hono.post("/api/settings", async (c) => {
    const b = await c.req.json().catch(() => ({})) as Record<string, unknown>;
    const port = Number(b.port);
    const restartNeeded = await o.app.update({
      output: typeof b.output === "string" && b.output.trim() ? b.output.trim() : undefined,
      host: typeof b.host === "string" && b.host.trim() ? b.host.trim() : undefined,
      port: Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined,
      personalBaseToken: typeof b.personalBaseToken === "string" ? b.personalBaseToken.trim() : undefined,
      language: uiLanguage(b.language),
      fileDisplayLimit: Number.isInteger(b.fileDisplayLimit) ? b.fileDisplayLimit as number : undefined,
    });
    return c.json({ ok: true, restartNeeded });
  });
  hono.post("/api/origins", async (c) => {
    const b = await c.req.json().catch(() => ({})) as { origin?: string; answer?: OriginAnswer };
    if (!o.app.service || !b.origin || !["allow_once", "allow", "refuse"].includes(String(b.answer))) {
      return c.json({ ok: false }, 400);
    }
    o.app.service.gate.decide(b.origin, b.answer!);
    o.app.monitor.changed();
    return c.json({ ok: true });
  });
  hono.post("/api/open", async (c) => {
    const b = await c.req.json().catch(() => ({})) as { key?: string };
    const job = b.key ? o.app.store.job(b.key) : undefined;
    if (!job) return c.json({ ok: false }, 404);
    await (o.openFolder ?? openFolder)(job.dir).catch(() => {});
    return c.json({ ok: true });
  });
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: o.port,
      onListen: ({ port }) => {
        self = `http://127.0.0.1:${port}`;
        resolve({ url: self, close: () => server.shutdown() });
      },
    }, hono.fetch);
  });
}

/** Open a folder (or URL) with the OS's default application. */
export async function openFolder(path: string): Promise<void> {
  const cmd = Deno.build.os === "windows"
    ? ["explorer", path]
    : Deno.build.os === "darwin"
    ? ["open", path]
    : ["xdg-open", path];
  await new Deno.Command(cmd[0], { args: cmd.slice(1), stdout: "null", stderr: "null" }).spawn().status;
}
