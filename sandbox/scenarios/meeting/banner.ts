/**
 * Lines `deno task sandbox` prints about the meeting family (Chinese).
 *
 * @module
 */
import type { SandboxState } from "../../state.ts";
import { meetingFamily } from "./family.ts";
import { MEETING_CONTROL_PREFIX } from "../../control/_meeting.ts";

/** Banner lines for a sandbox served at `url`: event target, users, OAuth and the meeting control calls. */
export function meetingBannerLines(state: SandboxState, url: string): string[] {
  const f = meetingFamily(state);
  const o = f.options;
  const P = `${url}${MEETING_CONTROL_PREFIX}`;
  const users = f.directory.users.slice(0, 6).map((u) => `${u.name}（user_id ${u.userId}）`).join("、");
  return [
    "会议录制归档：",
    `  事件推送地址：${o.webhookUrl ?? "（未设置，可用 POST " + P + "/config 设置 webhookUrl）"}；` +
    `投递方式：${o.delivery}；Verification Token：${o.verificationToken}；` +
    `Encrypt Key：${o.encryptKey ?? "（未设置，明文推送）"}`,
    `  长连接：POST ${url}/callback/ws/endpoint（AppID/AppSecret 同上）`,
    `  录制在会议结束 ${o.recordingReadyAfterMs} 毫秒后生成；视频大小 ${o.mediaSizeBytes} 字节`,
    `  用户：${users} 等 ${f.directory.users.length} 人`,
    `  授权页：${url}/open-apis/authen/v1/authorize?client_id=<App ID>&redirect_uri=<回调地址>&scope=offline_access&state=<随机串>`,
    `  结束会议并推送事件：POST ${P}/end  例如 {"topic":"周会","owner_user_id":"${
      f.directory.users[0].userId
    }"}`,
    `  其他：GET ${P}（概览）  GET ${P}/deliveries  GET ${P}/messages（已发卡片）`,
    `        POST ${P}/authorize  POST ${P}/user_tokens {"action":"revoke","user_id":…}`,
    `        POST ${P}/ws/kill {"mode":"close"|"freeze"}  POST ${P}/media {"cut_after_bytes":1000000}`,
    `        POST ${P}/url_verification  GET|POST ${P}/config`,
  ];
}
