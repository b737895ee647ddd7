/**
 * Control endpoints of the meeting family under `/__sandbox/meeting`
 * (not journaled, never faulted). Answers `{code:0, message:"ok", data}`;
 * bad input HTTP 400 `{code:400, message}` (Chinese), like the core's.
 *
 * | Call | Body | Does |
 * |---|---|---|
 * | `GET  /__sandbox/meeting` | — | overview: options, users, departments, meetings, connections, counts |
 * | `POST /__sandbox/meeting/end` | `EndMeetingInput` (all optional) | end a meeting, deliver the event |
 * | `GET  /__sandbox/meeting/deliveries` | `?wait=1` waits until none is pending | delivery records |
 * | `GET  /__sandbox/meeting/messages` | — | sent messages (cards parsed) |
 * | `POST /__sandbox/meeting/authorize` | `{user_id, redirect_uri, state?, scope?, client_id?}` | approve → `{code, callback_url}` |
 * | `POST /__sandbox/meeting/user_tokens` | `{action: "revoke"\|"expire_access"\|"expire_refresh", user_id?}` | user tokens knob |
 * | `POST /__sandbox/meeting/ws/kill` | `{mode?: "close"\|"freeze", connection_id?}` | kill long connections |
 * | `POST /__sandbox/meeting/media` | `{cut_after_bytes, times?}` | next downloads break after N bytes |
 * | `POST /__sandbox/meeting/url_verification` | `{url?, challenge?}` | send the challenge, check the echo |
 * | `GET\|POST /__sandbox/meeting/config` | option patch (camelCase, `null` clears) | read / change options |
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { CONTROL_PREFIX } from "../_middleware.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";
import { durationMs, recordingUrl } from "../vc/meetings.ts";

/** Prefix of the meeting family's control calls. */
export const MEETING_CONTROL_PREFIX = `${CONTROL_PREFIX}/meeting`;

/** Register the control endpoints. */
export function registerMeetingControlRoutes(app: SandboxApp, family: MeetingFamily): void {
  const P = MEETING_CONTROL_PREFIX;
  const ok = (c: SandboxContext, data: unknown) => c.json({ code: 0, message: "ok", data });
  const bad = (c: SandboxContext, e: unknown) =>
    c.json({ code: 400, message: e instanceof Error ? e.message : String(e) }, 400);
  const body = async (c: SandboxContext): Promise<Record<string, unknown>> => {
    const text = await c.req.text();
    if (text.trim() === "") return {};
    const parsed = JSON.parse(text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new RangeError("请求体必须是 JSON 对象");
    }
    return parsed;
  };
  const post = (path: string, fn: (b: Record<string, unknown>) => unknown) =>
    app.post(P + path, async (c) => {
      try {
        return ok(c, await fn(await body(c)));
      } catch (e) {
        return bad(c, e instanceof SyntaxError ? "请求体不是合法的 JSON" : e);
      }
    });

  app.get(P, (c) => ok(c, overview(family)));
  post("/end", (b) => family.endMeeting(b));
  app.get(`${P}/deliveries`, async (c) => {
    if (c.req.query("wait") === "1") await family.whenDelivered();
    return ok(c, family.deliveries);
  });
  app.get(`${P}/messages`, (c) =>
    ok(
      c,
      family.sentMessages.map((m) => ({
        ...m,
        user: m.user ? { open_id: m.user.openId, name: m.user.name } : undefined,
      })),
    ));
  post("/authorize", (b) => family.authorize(b as never));
  post("/user_tokens", (b) => {
    const userId = b.user_id === undefined ? undefined : String(b.user_id);
    switch (b.action) {
      case "revoke":
        return { affected: family.revokeUserTokens(userId) };
      case "expire_access":
        return { affected: family.expireUserTokens("access", userId) };
      case "expire_refresh":
        return { affected: family.expireUserTokens("refresh", userId) };
      default:
        throw new RangeError(`action 只能是 revoke、expire_access 或 expire_refresh：${b.action}`);
    }
  });
  post("/ws/kill", (b) => {
    const mode = b.mode ?? "close";
    if (mode !== "close" && mode !== "freeze") throw new RangeError(`mode 只能是 close 或 freeze：${mode}`);
    const id = b.connection_id === undefined ? undefined : String(b.connection_id);
    return { affected: family.killConnections(mode, id) };
  });
  post("/media", (b) => {
    family.cutMediaAfter(Number(b.cut_after_bytes), b.times === undefined ? 1 : Number(b.times));
    return null;
  });
  post("/url_verification", (b) =>
    family.sendUrlVerification({
      url: b.url === undefined ? undefined : String(b.url),
      challenge: b.challenge === undefined ? undefined : String(b.challenge),
    }));
  app.get(`${P}/config`, (c) => ok(c, family.options));
  post("/config", (b) => family.configure(b));
}

function overview(family: MeetingFamily): Record<string, unknown> {
  const dir = family.directory;
  return {
    options: family.options,
    tenant_key: dir.tenantKey,
    users: dir.users.map((u) => ({
      name: u.name,
      open_id: u.openId,
      union_id: u.unionId,
      user_id: u.userId,
      email: u.email,
      departments: dir.departmentsOf(u).map((d) => d.name),
    })),
    departments: dir.departments.map((d) => ({
      name: d.name,
      department_id: d.departmentId,
      open_department_id: d.openDepartmentId,
      parent_department_id: d.parentId,
    })),
    meetings: family.meetings.all.map((m) => ({
      id: m.id,
      topic: m.topic,
      owner: m.owner.name,
      minute_token: m.minuteToken,
      recording_url: recordingUrl(m),
      duration_ms: durationMs(m),
      recording_ready_at: m.recordingReadyAt,
      media_size_bytes: m.mediaSizeBytes,
    })),
    connections: family.connections,
    deliveries: family.deliveries.length,
    sent_messages: family.sentMessages.length,
  };
}
