/**
 * A stand-in for the Base sidebar plugin "download-files" 1.1.8 in its local
 * client modes, speaking the protocol as the plugin does: the version probe
 * (probe, then after 800 ms a fallback config `{total: 0, jobName: "probe"}`,
 * waiting at most 3 s, requiring version ≥ 1.1.8), then the job connection:
 * URL mode sends one link per frame and answers `refresh` acks with a fresh
 * temporary URL (from the sandbox, as `getAttachmentUrl` would), and closes
 * after `job_complete`; token mode sends `{files: […]}` batches and
 * `complete`, then closes at once without reading any ack.
 *
 * @example
 * ```ts
 * import { runPlugin } from "./plugin_simulator.ts";
 * const r = await runPlugin({ service: "ws://127.0.0.1:11548", sandbox: "http://127.0.0.1:18080", mode: "url" });
 * console.log(r.succeeded, r.failed, r.jobCompleted);
 * ```
 *
 * @module
 */
import type { SandboxAttachment } from "../base/family.ts";

/** Options of {@linkcode runPlugin}. */
export interface PluginOptions {
  /** The service's WebSocket URL (`ws://127.0.0.1:11548`, `?token=` if needed). */
  service: string;
  /** The sandbox base URL (for the selection and the temporary URLs). */
  sandbox: string;
  /** `url` (本地客户端下载) or `token` (授权码). */
  mode: "url" | "token";
  /** `Origin` header sent (default the plugin's `https://ext.baseopendev.com`; null: none). */
  origin?: string | null;
  /** Job name (default 附件下载). */
  jobName?: string;
  /** `zipAfterDownload`. */
  zip?: boolean;
  /** Only the first n attachments. */
  limit?: number;
  /** Token mode batch size (`tokenPushBatchSize`, default 50). */
  batchSize?: number;
  /** Skip the version probe. */
  skipProbe?: boolean;
  /** Every ack received (URL mode). */
  onAck?: (data: Record<string, unknown>) => void;
  /** URL mode: close the socket after this many files succeeded (the user closed the plugin mid-job). */
  closeAfterSuccesses?: number;
  /** Give up after this long, ms (default 120 000). */
  timeoutMs?: number;
}

/** What the simulated plugin saw. */
export interface PluginResult {
  /** Version from the probe, and how long it took to arrive (ms). */
  probe?: { version?: string; ms: number; accepted: boolean };
  /** Acks in arrival order (URL mode). */
  acks: Record<string, unknown>[];
  succeeded: Set<number>;
  failed: Map<number, string>;
  refreshes: number;
  jobCompleted: boolean;
  /** An order-less error (the plugin aborts the job). */
  fatal?: string;
  /** Socket closed before `job_complete` (URL mode; "Connection failed"). */
  connectionFailed: boolean;
  files: number;
}

interface Selection {
  appToken: string;
  tableId: string;
  attachments: SandboxAttachment[];
}

/** The plugin's 3-part semver check. */
export function versionAtLeast(v: string | undefined, min: string): boolean {
  const a = (v ?? "").split(".").map((x) => Number.parseInt(x, 10) || 0);
  const b = min.split(".").map((x) => Number(x));
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i];
  }
  return true;
}

/** Open a socket as the plugin's iframe would. */
export function openSocket(url: string, origin: string | null | undefined): WebSocket {
  const o = origin === undefined ? "https://ext.baseopendev.com" : origin;
  // Deno's WebSocket takes request headers (a browser sets Origin itself).
  return new (WebSocket as unknown as new (u: string, init: unknown) => WebSocket)(url, {
    headers: o ? { origin: o } : {},
  });
}

/** The version probe: server_info within 3 s, fallback config after 800 ms. */
export function probe(service: string, origin?: string | null): Promise<PluginResult["probe"]> {
  const started = performance.now();
  return new Promise((resolve) => {
    const ws = openSocket(service, origin);
    let fallback: ReturnType<typeof setTimeout> | undefined;
    const done = (version?: string) => {
      clearTimeout(fallback);
      clearTimeout(limit);
      try {
        ws.close();
      } catch { /* closed */ }
      resolve({ version, ms: performance.now() - started, accepted: versionAtLeast(version, "1.1.8") });
    };
    const limit = setTimeout(() => done(undefined), 3000);
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: "feishu_attachment_probe", data: {} }));
      fallback = setTimeout(() => {
        ws.send(JSON.stringify({
          type: "feishu_attachment_config",
          data: { total: 0, jobName: "probe", jobId: String(Date.now()), concurrent: 1, downloadMode: "url" },
        }));
      }, 800);
    };
    ws.onmessage = (e) => {
      const m = JSON.parse(String(e.data));
      if (m.type === "feishu_attachment_ack" && m.data?.stage === "server_info") done(m.data.version);
    };
    ws.onerror = () => {};
    ws.onclose = () => done(undefined);
  });
}

/** Run one download as the plugin. */
export async function runPlugin(o: PluginOptions): Promise<PluginResult> {
  const result: PluginResult = {
    acks: [],
    succeeded: new Set(),
    failed: new Map(),
    refreshes: 0,
    jobCompleted: false,
    connectionFailed: false,
    files: 0,
  };
  if (!o.skipProbe) {
    result.probe = await probe(o.service, o.origin);
    if (!result.probe?.accepted) return result;
  }
  const sel = await (await fetch(`${o.sandbox}/__sandbox/base/selection`)).json() as Selection;
  const atts = sel.attachments.slice(0, o.limit ?? sel.attachments.length);
  result.files = atts.length;
  const jobId = String(Date.now());
  const items = atts.map((a) => ({
    order: a.order,
    name: a.name,
    path: `${a.category}/`,
    size: a.size,
    token: a.token,
    fieldId: a.fieldId,
    recordId: a.recordId,
  }));
  const ws = openSocket(o.service, o.origin);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("connection failed"));
  });
  const send = (type: string, data: unknown) => ws.send(JSON.stringify({ type, data }));
  const config = {
    concurrent: 1,
    zipAfterDownload: !!o.zip,
    jobId,
    jobName: o.jobName ?? "附件下载",
    zipName: o.jobName ?? "附件下载",
    total: items.length,
    downloadMode: o.mode,
    ...(o.mode === "token" ? { tableId: sel.tableId, appToken: sel.appToken } : {}),
  };
  if (o.mode === "token") {
    send("feishu_attachment_config", config);
    const size = Math.max(1, Math.min(10_000, o.batchSize ?? 50));
    for (let i = 0; i < items.length; i += size) {
      send("feishu_attachment_link", { files: items.slice(i, i + size) });
    }
    send("feishu_attachment_complete", { jobId });
    // Wait until the frames have left, then close like the plugin does.
    while (ws.bufferedAmount > 0) await new Promise((r) => setTimeout(r, 5));
    ws.close();
    return result;
  }
  const ended = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      result.connectionFailed = true;
      ws.close();
      resolve();
    }, o.timeoutMs ?? 120_000);
    ws.onclose = () => {
      clearTimeout(timer);
      if (!result.jobCompleted) result.connectionFailed = true;
      resolve();
    };
    ws.onmessage = async (e) => {
      const m = JSON.parse(String(e.data));
      if (m.type !== "feishu_attachment_ack") return;
      const d = m.data as Record<string, unknown>;
      result.acks.push(d);
      o.onAck?.(d);
      const order = Number(d.order);
      if (d.stage === "server_info") return;
      if (Number.isInteger(order) && order > 0) {
        if (d.status === "success") {
          result.succeeded.add(order);
          result.failed.delete(order);
          if (o.closeAfterSuccesses !== undefined && result.succeeded.size >= o.closeAfterSuccesses) {
            ws.close();
          }
        } else if (d.status === "refresh") {
          result.refreshes++;
          const att = atts.find((a) => a.order === order);
          const r = await fetch(`${o.sandbox}/__sandbox/base/attachment_url`, {
            method: "POST",
            body: JSON.stringify({ token: att?.token }),
          });
          const j = await r.json();
          if (ws.readyState !== WebSocket.OPEN) return;
          if (j.code === 0) send("feishu_attachment_refresh", { order, downloadUrl: j.data.url });
          else send("feishu_attachment_refresh", { order, error: `${j.msg} (logId: sandbox)` });
        } else if (d.status !== "progress") {
          result.failed.set(order, String(d.message));
        }
        return;
      }
      if (d.stage === "job_complete") {
        result.jobCompleted = true;
        ws.close();
        return;
      }
      if (d.status === "error") {
        result.fatal = String(d.message);
        ws.close();
      }
    };
  });
  send("feishu_attachment_config", config);
  for (let i = 0; i < items.length; i++) {
    const { token: _t, fieldId: _f, recordId: _r, ...link } = items[i];
    send("feishu_attachment_link", link);
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 0));
  }
  send("feishu_attachment_complete", { jobId });
  await ended;
  return result;
}
