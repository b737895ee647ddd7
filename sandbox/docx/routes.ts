/**
 * docx v1 (open.feishu.cn/document/server-docs/docs/docs/docx-v1/…), tenant token:
 * - `POST /open-apis/docx/v1/documents {folder_token?, title? (≤ 800)}` → `data.document.{document_id, revision_id, title}`;
 * - `GET …/documents/:document_id/blocks?page_size (1–500, default 500)&page_token` → `data.{items, page_token, has_more}`;
 * - `POST …/blocks/:block_id/children {children (1–50), index?}` → `data.{children, document_revision_id, client_token}`;
 * - `PATCH …/blocks/:block_id {<one operation>}` → `data.{block, document_revision_id, client_token}`;
 * - `PATCH …/blocks/batch_update {requests (1–200)}` → `data.{blocks, document_revision_id, client_token}`;
 * - `GET …/raw_content` → `data.content`.
 *
 * Codes (the pages' error table): 1770001 invalid param [400], 1770002 not found [404],
 * 1770003 resource deleted [400], 1770013 relation mismatch (image not uploaded to the
 * block) [400], 1770022 invalid page token [400], 1770025 operation and block not match
 * [400], 1770032 forbidden [403]; 1770028 for a block that takes no children UNCONFIRMED. App limits (3/s edits, 5/s reads) answer HTTP 400 +
 * 99991400 as documented for docx; the per-document 3 edits/s answers HTTP 429.
 *
 * @module
 */
import { jsonObject } from "../_json_body.ts";
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { endpoint } from "../_middleware.ts";
import { MSG_RATE_LIMITED, openApiError, sendJson, throttled } from "../_respond.ts";
import { requireTenantToken } from "../_guards.ts";
import type { SandboxState } from "../state.ts";
import { applyUpdate, checkChild, createBlock, rawText, type Refusal, takesChildren } from "./_blocks.ts";
import { DOCX_DOCUMENT_EDIT_LIMIT, DOCX_PATHS } from "./endpoints.ts";
import { type DocsFamily, docsFamily } from "./family.ts";
import type { StoredBlock, StoredDocument } from "./store.ts";

/** Most children per call. */
export const DOCX_MAX_CHILDREN = 50;
/** Most requests per batch update (UNCONFIRMED). */
export const DOCX_MAX_BATCH_UPDATE = 200;
/** Largest block page. */
export const DOCX_MAX_PAGE_SIZE = 500;

/** Register the docx endpoints. */
export function registerDocxRoutes(app: SandboxApp, state: SandboxState): void {
  const fam = docsFamily(state);
  app.post(DOCX_PATHS.create, endpoint(state, "docx_document_create"), (c) => create(c, state, fam));
  app.get(DOCX_PATHS.blocks, endpoint(state, "docx_blocks_list"), (c) => listBlocks(c, state, fam));
  app.post(
    DOCX_PATHS.children,
    endpoint(state, "docx_block_children_create"),
    (c) => children(c, state, fam),
  );
  app.patch(DOCX_PATHS.batchUpdate, endpoint(state, "docx_blocks_batch_update"), (c) => batch(c, state, fam));
  app.patch(DOCX_PATHS.patch, endpoint(state, "docx_block_patch"), (c) => patch(c, state, fam));
  app.get(DOCX_PATHS.rawContent, endpoint(state, "docx_raw_content"), (c) => raw(c, state, fam));
}

/** Caller's app id, or the refusing answer (token, app-level limit). */
function guard(c: SandboxContext, state: SandboxState): string | Response {
  const caller = requireTenantToken(c, state);
  if (caller instanceof Response) return caller;
  const info = c.get("endpoint");
  if (!info) return caller.appId;
  const d = state.rateLimits.hit(caller.appId, info.name, true);
  if (d.ok) return caller.appId;
  // docx documents the app limit as HTTP 400 + 99991400 (not 429).
  const entry = c.get("entry");
  if (entry) entry.throttled = true;
  return sendJson(c, state.clock, { code: 99991400, msg: MSG_RATE_LIMITED }, 400, {
    "x-ogw-ratelimit-limit": String(d.limit),
    "x-ogw-ratelimit-reset": String(d.resetSec),
  });
}

function refuse(c: SandboxContext, state: SandboxState, r: Refusal): Response {
  return openApiError(c, state.clock, r.status, r.code, r.msg);
}

/** The readable document, or the refusing answer. */
function docFor(
  c: SandboxContext,
  state: SandboxState,
  fam: DocsFamily,
  appId: string,
): StoredDocument | Response {
  const id = c.req.param("document_id") ?? "";
  const doc = fam.docs.get(id);
  if (!doc) return openApiError(c, state.clock, 404, 1770002, "not found");
  if (doc.deleted) return openApiError(c, state.clock, 400, 1770003, "resource deleted");
  if (doc.ownerAppId !== appId && !doc.sharedWith.has(appId) && !doc.sharedWith.has("*")) {
    return openApiError(c, state.clock, 403, 1770032, "forbidden");
  }
  return doc;
}

/** Per-document edit budget (3/s → HTTP 429). */
function editBudget(c: SandboxContext, state: SandboxState, doc: StoredDocument): Response | undefined {
  const d = state.rateLimits.hit(doc.id, DOCX_DOCUMENT_EDIT_LIMIT, false);
  return d.ok ? undefined : throttled(c, state.clock, "open_api", d.limit, d.resetSec);
}

async function create(c: SandboxContext, state: SandboxState, fam: DocsFamily): Promise<Response> {
  const appId = guard(c, state);
  if (appId instanceof Response) return appId;
  const body = await jsonObject(c) ?? {};
  const title = body.title ?? "";
  if (typeof title !== "string" || [...title].length > 800) {
    return openApiError(c, state.clock, 400, 1770001, "invalid param: title");
  }
  if (body.folder_token !== undefined && (typeof body.folder_token !== "string")) {
    return openApiError(c, state.clock, 400, 1770001, "invalid param: folder_token");
  }
  const doc = fam.docs.create(appId, title);
  return sendJson(c, state.clock, {
    code: 0,
    msg: "success",
    data: { document: { document_id: doc.id, revision_id: doc.revision, title: doc.title } },
  });
}

function listBlocks(c: SandboxContext, state: SandboxState, fam: DocsFamily): Response {
  const appId = guard(c, state);
  if (appId instanceof Response) return appId;
  const doc = docFor(c, state, fam, appId);
  if (doc instanceof Response) return doc;
  const sizeText = c.req.query("page_size");
  const size = sizeText === undefined ? DOCX_MAX_PAGE_SIZE : Number(sizeText);
  if (!Number.isInteger(size) || size < 1 || size > DOCX_MAX_PAGE_SIZE) {
    return openApiError(c, state.clock, 400, 1770001, "invalid param: page_size");
  }
  const tokenText = c.req.query("page_token");
  const start = tokenText ? Number(atobSafe(tokenText)) : 0;
  if (!Number.isInteger(start) || start < 0) {
    return openApiError(c, state.clock, 400, 1770001, "invalid param: page_token");
  }
  const all = fam.docs.ordered(doc);
  const items = all.slice(start, start + size);
  const more = start + size < all.length;
  return sendJson(c, state.clock, {
    code: 0,
    msg: "success",
    data: { items, has_more: more, ...(more ? { page_token: btoa(String(start + size)) } : {}) },
  });
}

function atobSafe(s: string): string {
  try {
    return atob(s);
  } catch {
    return "x";
  }
}

async function children(c: SandboxContext, state: SandboxState, fam: DocsFamily): Promise<Response> {
  const appId = guard(c, state);
  if (appId instanceof Response) return appId;
  const doc = docFor(c, state, fam, appId);
  if (doc instanceof Response) return doc;
  const clientToken = c.req.query("client_token");
  const earlier = clientToken ? doc.clientTokens.get(clientToken) : undefined;
  if (earlier) return sendJson(c, state.clock, { code: 0, msg: "success", data: earlier });
  const parent = doc.blocks.get(c.req.param("block_id") ?? "");
  if (!parent) return openApiError(c, state.clock, 404, 1770002, "not found: block");
  const body = await jsonObject(c);
  const list = body?.children;
  if (!Array.isArray(list) || list.length < 1 || list.length > DOCX_MAX_CHILDREN) {
    return openApiError(c, state.clock, 400, 1770001, "invalid param: children must hold 1-50 blocks");
  }
  for (let i = 0; i < list.length; i++) {
    const bad = checkChild(list[i], i);
    if (bad) return refuse(c, state, bad);
  }
  if (!takesChildren(parent)) {
    return openApiError(c, state.clock, 400, 1770028, "block not support create children");
  }
  const siblings = parent.children ?? [];
  const index = body?.index === undefined || body.index === -1 ? siblings.length : body.index;
  if (!Number.isInteger(index) || (index as number) < 0 || (index as number) > siblings.length) {
    return openApiError(c, state.clock, 400, 1770001, "invalid param: index");
  }
  const limited = editBudget(c, state, doc);
  if (limited) return limited;
  const created = list.map((child) => createBlock(doc, parent.block_id, child));
  siblings.splice(index as number, 0, ...created.map((b) => b.block_id));
  parent.children = siblings;
  doc.revision++;
  const data = {
    children: created.map((b) => structuredClone(b)),
    document_revision_id: doc.revision,
    client_token: clientToken ?? crypto.randomUUID(),
  };
  if (clientToken) doc.clientTokens.set(clientToken, data);
  return sendJson(c, state.clock, { code: 0, msg: "success", data });
}

function imageCheck(fam: DocsFamily, blockId: string) {
  return (token: string) => {
    const m = fam.media.get(token);
    return !!m && !m.deleted && m.parentType === "docx_image" && m.parentNode === blockId;
  };
}

async function patch(c: SandboxContext, state: SandboxState, fam: DocsFamily): Promise<Response> {
  const appId = guard(c, state);
  if (appId instanceof Response) return appId;
  const doc = docFor(c, state, fam, appId);
  if (doc instanceof Response) return doc;
  const block = doc.blocks.get(c.req.param("block_id") ?? "");
  if (!block) return openApiError(c, state.clock, 404, 1770002, "not found: block");
  const body = await jsonObject(c);
  if (!body) return openApiError(c, state.clock, 400, 1770001, "invalid param: body");
  const limited = editBudget(c, state, doc);
  if (limited) return limited;
  const copy = structuredClone(block);
  const bad = applyUpdate(copy, body, imageCheck(fam, block.block_id));
  if (bad) return refuse(c, state, bad);
  doc.blocks.set(block.block_id, copy);
  doc.revision++;
  return sendJson(c, state.clock, {
    code: 0,
    msg: "success",
    data: {
      block: structuredClone(copy),
      document_revision_id: doc.revision,
      client_token: c.req.query("client_token") ?? crypto.randomUUID(),
    },
  });
}

async function batch(c: SandboxContext, state: SandboxState, fam: DocsFamily): Promise<Response> {
  const appId = guard(c, state);
  if (appId instanceof Response) return appId;
  const doc = docFor(c, state, fam, appId);
  if (doc instanceof Response) return doc;
  const body = await jsonObject(c);
  const requests = body?.requests;
  if (!Array.isArray(requests) || requests.length < 1 || requests.length > DOCX_MAX_BATCH_UPDATE) {
    return openApiError(c, state.clock, 400, 1770001, "invalid param: requests must hold 1-200 updates");
  }
  const limited = editBudget(c, state, doc);
  if (limited) return limited;
  // All or nothing: apply to copies, commit when every update is valid.
  const updated = new Map<string, StoredBlock>();
  for (const r of requests as Record<string, unknown>[]) {
    const id = typeof r?.block_id === "string" ? r.block_id : "";
    const current = updated.get(id) ?? doc.blocks.get(id);
    if (!current) return openApiError(c, state.clock, 404, 1770002, "not found: block");
    const copy = structuredClone(current);
    const bad = applyUpdate(copy, r, imageCheck(fam, id));
    if (bad) return refuse(c, state, bad);
    updated.set(id, copy);
  }
  for (const [id, b] of updated) doc.blocks.set(id, b);
  doc.revision++;
  return sendJson(c, state.clock, {
    code: 0,
    msg: "success",
    data: {
      blocks: [...updated.values()].map((b) => structuredClone(b)),
      document_revision_id: doc.revision,
      client_token: c.req.query("client_token") ?? crypto.randomUUID(),
    },
  });
}

function raw(c: SandboxContext, state: SandboxState, fam: DocsFamily): Response {
  const appId = guard(c, state);
  if (appId instanceof Response) return appId;
  const doc = docFor(c, state, fam, appId);
  if (doc instanceof Response) return doc;
  return sendJson(c, state.clock, {
    code: 0,
    msg: "success",
    data: { content: rawText(fam.docs.ordered(doc)) },
  });
}
