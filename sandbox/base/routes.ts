/**
 * Routes of the Base family:
 *
 * - `GET /open-apis/drive/v1/medias/:file_token/download?extra=` on the
 *   base-api host (personal base token): `Authorization: Bearer pt-…`,
 *   `extra.bitablePerm` must name this table and the attachment (missing →
 *   400 `1061002 params error`, another table/record → 403), 2 QPS per Base
 *   document → 429 `99991400` with `x-ogw-ratelimit-reset`; `Range` honoured
 *   (official media-download doc: open.feishu.cn/document/server-docs/docs/drive-v1/media/download).
 * - `GET /__base/tmp/:file_token?expires=&sig=`: the temporary download URL
 *   the plugin gets from the Base JS SDK `getAttachmentUrl` (about 10 min);
 *   expired → 400.
 * - Control: `GET /__sandbox/base/selection` (what the plugin sees),
 *   `POST /__sandbox/base/attachment_url` `{token}` (stands in for
 *   `getAttachmentUrl`), `POST /__sandbox/base/configure` (knobs).
 *
 * UNCONFIRMED (not in an official document): the body of an expired
 * temporary URL (we answer 400 JSON `{code: 1061002}`); an invalid personal
 * base token (401 `{code: 1011, msg: "personal token is invalid"}`, as the
 * upstream client checks for); 403 `1061004 forbidden`; 404 `1061003 not found`.
 *
 * @module
 */
import { sha256Hex } from "../../lib/encoding/sha256_hex.ts";
import type { SandboxApp, SandboxContext } from "../_env.ts";
import type { SandboxState } from "../state.ts";
import { mediaStream, parseRange } from "../minutes/media.ts";
import { type BaseFamily, baseFamily, type BaseOptions, type SandboxAttachment } from "./family.ts";

/** Wire the Base family's routes. */
export function registerBaseRoutes(app: SandboxApp, state: SandboxState): void {
  const family = () => baseFamily(state);
  app.get("/__sandbox/base/selection", (c) => c.json(selection(family())));
  app.post("/__sandbox/base/attachment_url", async (c) => {
    const body = await c.req.json().catch(() => ({})) as { token?: string };
    const att = family().byToken(String(body.token ?? ""));
    if (!att) return c.json({ code: 1061003, msg: "not found" }, 404);
    if (family().denied.has(att.token)) return c.json({ code: 1061004, msg: "forbidden" }, 403);
    return c.json({ code: 0, data: { url: await issueUrl(family(), att, new URL(c.req.url).origin) } });
  });
  app.post("/__sandbox/base/configure", async (c) => {
    family().configure(await c.req.json().catch(() => ({})) as BaseOptions);
    return c.json(selection(family()));
  });
  app.get("/__base/tmp/:file_token", (c) => serveTmp(c, family()));
  // The drive and bitable families serve the same path for their own media: a request that is
  // neither for a Base attachment nor made with the personal base token is theirs.
  app.get("/open-apis/drive/v1/medias/:file_token/download", (c, next) => {
    const f = family();
    const mine = !!f.byToken(c.req.param("file_token") ?? "") ||
      c.req.header("authorization") === `Bearer ${f.personalBaseToken}`;
    return mine ? serveMediaDownload(c, f) : next();
  });
}

/** The records the plugin would read: attachments in its order. */
export function selection(f: BaseFamily): {
  appToken: string;
  tableId: string;
  attachments: SandboxAttachment[];
} {
  return { appToken: f.appToken, tableId: f.tableId, attachments: f.attachments };
}

/** A signed temporary URL (already expired when the attachment's expire fault is armed). */
export async function issueUrl(f: BaseFamily, att: SandboxAttachment, origin: string): Promise<string> {
  f.stats.urlIssued++;
  let expires = f.state.clock.now() + f.options.urlTtlMs;
  if (f.pendingExpire.delete(att.token)) expires = f.state.clock.now() - 1;
  const iss = (f.issued.get(att.token) ?? 0) + 1;
  f.issued.set(att.token, iss);
  const sig = await sign(att.token, expires, iss);
  return `${origin}/__base/tmp/${att.token}?expires=${expires}&iss=${iss}&sig=${sig}`;
}

async function sign(token: string, expires: number, iss: number): Promise<string> {
  return (await sha256Hex(`base-tmp\n${token}\n${expires}\n${iss}`)).slice(0, 24);
}

async function serveTmp(c: SandboxContext, f: BaseFamily): Promise<Response> {
  const token = c.req.param("file_token") ?? "";
  const expires = Number(c.req.query("expires"));
  const iss = Number(c.req.query("iss"));
  if (!Number.isSafeInteger(expires) || c.req.query("sig") !== await sign(token, expires, iss)) {
    return c.json({ code: 1061002, msg: "params error" }, 400);
  }
  if (f.state.clock.now() > expires || iss <= (f.revokedUpTo.get(token) ?? 0)) {
    f.stats.urlExpired++;
    return c.json({ code: 1061002, msg: "link expired" }, 400);
  }
  const att = f.byToken(token);
  if (!att) return c.json({ code: 1061003, msg: "not found" }, 404);
  return body(c, f, att, true);
}

function serveMediaDownload(c: SandboxContext, f: BaseFamily): Promise<Response> | Response {
  const auth = c.req.header("authorization") ?? "";
  if (auth !== `Bearer ${f.personalBaseToken}`) {
    return c.json({ code: 1011, msg: "personal token is invalid" }, 401);
  }
  const now = f.state.clock.now();
  const grants = (f.mediaGrants.get(f.appToken) ?? []).filter((t) => t > now - 1000);
  if (grants.length >= f.options.mediaQps) {
    f.stats.throttled++;
    const reset = Math.max(1, Math.ceil((grants[0] + 1000 - now) / 1000));
    f.mediaGrants.set(f.appToken, grants);
    return c.json({ code: 99991400, msg: "request trigger frequency limit" }, 429, {
      "x-ogw-ratelimit-limit": String(f.options.mediaQps),
      "x-ogw-ratelimit-reset": String(reset),
    });
  }
  grants.push(now);
  f.mediaGrants.set(f.appToken, grants);
  f.stats.media++;
  const token = c.req.param("file_token") ?? "";
  const att = f.byToken(token);
  let perm: { tableId?: string; attachments?: Record<string, Record<string, string[]>> } | undefined;
  try {
    perm = JSON.parse(c.req.query("extra") ?? "")?.bitablePerm;
  } catch { /* missing or bad extra */ }
  if (!perm || typeof perm !== "object") return c.json({ code: 1061002, msg: "params error" }, 400);
  if (!att) return c.json({ code: 1061003, msg: "not found" }, 404);
  const allowed = perm.tableId === f.tableId &&
    perm.attachments?.[att.fieldId]?.[att.recordId]?.includes(token);
  if (!allowed) return c.json({ code: 1061004, msg: "forbidden" }, 403);
  return body(c, f, att);
}

function body(c: SandboxContext, f: BaseFamily, att: SandboxAttachment, tmpLink = false): Response {
  if (f.pending5xx.delete(att.token)) {
    f.stats.faults5xx++;
    return c.json({ code: 2200, msg: "Internal Error" }, 503);
  }
  const size = att.size;
  const headers: Record<string, string> = {
    "content-type": "application/octet-stream",
    "accept-ranges": "bytes",
    "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(att.name)}`,
    "etag": `"${att.token}-${size}"`,
  };
  const range = parseRange(c.req.header("range"), size);
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size;
  if (range) f.stats.ranged++;
  headers["content-length"] = String(end - start);
  if (range) headers["content-range"] = `bytes ${start}-${end - 1}/${size}`;
  let cut: number | undefined;
  if (end - start > 1 && f.pendingCut.delete(att.token)) {
    f.stats.cuts++;
    cut = Math.floor((end - start) / 2);
    if (tmpLink && f.options.revokeOnCut) f.revokedUpTo.set(att.token, f.issued.get(att.token) ?? 0);
    const entry = c.get("entry");
    if (entry) entry.fault = "drop";
  }
  f.stats.served++;
  let stream = mediaStream({ token: att.token, size, start, end, cutAfterBytes: cut });
  if (f.options.slowChunkMs > 0) stream = slow(stream, f.options.slowChunkMs);
  return new Response(stream, { status: range ? 206 : 200, headers });
}

function slow(s: ReadableStream<Uint8Array>, ms: number): ReadableStream<Uint8Array> {
  return s.pipeThrough(
    new TransformStream({
      async transform(chunk, ctl) {
        await new Promise((r) => setTimeout(r, ms));
        ctl.enqueue(chunk);
      },
    }),
  );
}
