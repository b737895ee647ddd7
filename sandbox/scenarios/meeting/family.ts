/**
 * The meeting family's state (kept in `state.families` under `"meeting"`)
 * and the knobs tests and the control endpoints use: end a meeting (which
 * delivers the meeting-ended event), authorize a user, revoke/expire user
 * tokens, kill long connections, cut media downloads, send a URL
 * verification; plus what went out: deliveries and sent messages.
 *
 * @example
 * ```ts
 * import { createSandbox } from "../../mod.ts";
 * import { meetingFamily } from "./mod.ts";
 *
 * const sandbox = createSandbox({ meeting: { webhookUrl: "http://127.0.0.1:29090/webhook/event" } });
 * const family = meetingFamily(sandbox);
 * const ended = await family.endMeeting({ topic: "周会" });
 * await family.whenDelivered();
 * console.log(ended.meeting.id, family.deliveries[0].status, family.sentMessages.length);
 * ```
 *
 * @module
 */
import type { SandboxState } from "../../state.ts";
import { Directory, type SandboxUser } from "../../contact/directory.ts";
import { DeliveryEngine, type DeliveryRecord } from "../../events/deliveries.ts";
import { randomHex } from "../../events/event_crypto.ts";
import { type AuthorizeInput, type AuthorizeResult, checkAuthorize } from "../../auth/_authorize.ts";
import { type EndMeetingInput, type EndMeetingResult, runEndMeeting } from "../../vc/_end_meeting.ts";
import { MeetingStore } from "../../vc/meetings.ts";
import {
  type MeetingSandboxOptions,
  type ResolvedMeetingOptions,
  resolveMeetingOptions,
  validate,
} from "./options.ts";
import { Timers } from "../../_timers.ts";
import { urlVerification, type UrlVerificationResult } from "../../events/_url_verification.ts";
import { UserTokenStore } from "../../auth/user_tokens.ts";
import { type WsConnectionInfo, WsHub } from "../../events/ws_hub.ts";

export type { AuthorizeInput, AuthorizeResult, EndMeetingInput, EndMeetingResult, UrlVerificationResult };

/** Key of the family in `state.families`. */
export const MEETING_FAMILY_KEY = "meeting";

/** One message sent through `POST /open-apis/im/v1/messages`. */
export interface SentMessage {
  /** `om_…`. */
  messageId: string;
  /** When, ms (sandbox clock). */
  at: number;
  /** Sending app. */
  appId: string;
  /** `app` (tenant token) or `user` (user token). */
  senderType: "app" | "user";
  /** `receive_id_type` of the request. */
  receiveIdType: string;
  /** `receive_id` of the request. */
  receiveId: string;
  /** The receiving user, when the id named one. */
  user?: SandboxUser;
  /** Chat the message went to. */
  chatId: string;
  /** `msg_type`. */
  msgType: string;
  /** `content` as sent (a JSON string). */
  content: string;
  /** `content` parsed (the card for `interactive`). */
  parsed: unknown;
  /** `uuid` of the request, if any. */
  uuid?: string;
}

/** Options `configure` may change at run time (the directory's seed and size are fixed). */
export type MeetingConfigPatch = Omit<MeetingSandboxOptions, "seed" | "extraUsers">;

/** State and knobs of the meeting family. */
export class MeetingFamily {
  /** The sandbox state this family lives in. */
  readonly state: SandboxState;
  /** Seeded users and departments. */
  readonly directory: Directory;
  /** Meetings ended so far. */
  readonly meetings: MeetingStore = new MeetingStore();
  /** Authorization codes and user tokens. */
  readonly userTokens: UserTokenStore;
  /** Long connections. */
  readonly hub: WsHub;
  /** Messages sent, oldest first. */
  readonly sentMessages: SentMessage[] = [];
  /** Secret signing media links. */
  readonly mediaSecret: string = randomHex(32);
  /** Real-time waits (cancelled on close/reset). */
  readonly timers: Timers = new Timers();
  readonly #initial: ResolvedMeetingOptions;
  #options: ResolvedMeetingOptions;
  readonly #engine: DeliveryEngine;
  #mediaCuts: number[] = [];

  /** Create the family from `state.options.meeting`. */
  constructor(state: SandboxState) {
    this.state = state;
    this.#initial = resolveMeetingOptions(state.options.meeting, state.options.seed);
    this.#options = structuredClone(this.#initial);
    this.directory = new Directory(this.#options.seed, this.#options.extraUsers);
    this.userTokens = new UserTokenStore(state.clock, () => this.#options);
    this.hub = new WsHub(state.clock, () => ({
      PingInterval: this.#options.pingIntervalSec,
      ReconnectCount: this.#options.reconnectCount,
      ReconnectInterval: this.#options.reconnectIntervalSec,
      ReconnectNonce: this.#options.reconnectNonceSec,
    }));
    this.#engine = new DeliveryEngine({
      clock: state.clock,
      timers: this.timers,
      hub: this.hub,
      options: () => this.#options,
    });
  }

  /** Current options. */
  get options(): Readonly<ResolvedMeetingOptions> {
    return this.#options;
  }

  /** Change options at run time (validated; `null` clears `webhookUrl`/`encryptKey`/`redirectUris`). */
  configure(patch: MeetingConfigPatch & Record<string, unknown>): Readonly<ResolvedMeetingOptions> {
    const next = { ...this.#options } as ResolvedMeetingOptions & Record<string, unknown>;
    for (const [key, value] of Object.entries(patch)) {
      if (key === "seed" || key === "extraUsers") throw new RangeError(`${key} 只能在创建沙箱时设置`);
      if (!(key in this.#initial) && !["webhookUrl", "encryptKey", "redirectUris"].includes(key)) {
        throw new RangeError(`未知的会议沙箱选项：${key}`);
      }
      if (value === null || value === undefined || value === "") delete next[key];
      else next[key] = structuredClone(value);
    }
    validate(next);
    this.#options = next;
    return next;
  }

  /** Every event delivery so far (webhook and long connection), oldest first. */
  get deliveries(): readonly DeliveryRecord[] {
    return this.#engine.all;
  }

  /** Every long connection so far, oldest first. */
  get connections(): WsConnectionInfo[] {
    return this.hub.connections;
  }

  /**
   * End a meeting: create it with its future recording and minute, and
   * deliver `vc.meeting.all_meeting_ended_v1`. Throws `RangeError` (Chinese
   * message) on invalid input.
   */
  endMeeting(input: EndMeetingInput = {}): Promise<EndMeetingResult> {
    return runEndMeeting(this, this.#engine, input);
  }

  /** Resolves when delivery `id` (all deliveries when omitted) is no longer pending. */
  whenDelivered(id?: string): Promise<void> {
    return this.#engine.whenSettled(id);
  }

  /** Approve an authorization for a user without the page; returns the code and the callback URL. */
  authorize(input: AuthorizeInput): AuthorizeResult {
    const user = this.directory.user(String(input.user_id ?? ""));
    if (!user) throw new RangeError(`未知用户：${input.user_id}`);
    const checked = checkAuthorize(this, input);
    if ("error" in checked) throw new RangeError(`${checked.error.code} ${checked.error.message}`);
    return checked.approve(user);
  }

  /**
   * The user `userId` approves on Feishu's authorize page opened at
   * `authorizeUrl` (the URL an app built: its client id, redirect URI, scope,
   * state and PKCE parameters are taken from it); returns the code and the
   * callback URL the browser is sent to.
   */
  approveAuthorizeUrl(authorizeUrl: string, userId: string): AuthorizeResult {
    const q = new URL(authorizeUrl).searchParams;
    return this.authorize({
      user_id: userId,
      client_id: q.get("client_id") ?? undefined,
      redirect_uri: q.get("redirect_uri") ?? "",
      scope: q.get("scope") ?? undefined,
      state: q.get("state") ?? undefined,
      code_challenge: q.get("code_challenge") ?? undefined,
      code_challenge_method: q.get("code_challenge_method") ?? undefined,
    });
  }

  /** Revoke every user token (access and refresh) of a user (any id kind), or of everyone. */
  revokeUserTokens(userId?: string): number {
    return this.userTokens.revoke(this.#openIdOf(userId));
  }

  /** Expire a user's (or everyone's) access or refresh tokens now. */
  expireUserTokens(kind: "access" | "refresh", userId?: string): number {
    return this.userTokens.expire(kind, this.#openIdOf(userId));
  }

  /** Close (`"close"`) or silence (`"freeze"`) one long connection or all; returns how many. */
  killConnections(mode: "close" | "freeze" = "close", connectionId?: string): number {
    return this.hub.kill(mode, connectionId);
  }

  /** Make the next `times` media downloads break after `bytes` bytes. */
  cutMediaAfter(bytes: number, times = 1): void {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new RangeError(`字节数必须是非负整数，实际为 ${bytes}`);
    }
    if (!Number.isInteger(times) || times < 0) throw new RangeError(`次数必须是非负整数，实际为 ${times}`);
    for (let i = 0; i < times; i++) this.#mediaCuts.push(bytes);
  }

  /** Take the next queued media cut (used by the download route). */
  takeMediaCut(): number | undefined {
    return this.#mediaCuts.shift();
  }

  /** Send a `url_verification` challenge to the webhook (or `url`) and check the echo. */
  sendUrlVerification(opts: { url?: string; challenge?: string } = {}): Promise<UrlVerificationResult> {
    return urlVerification(this, opts);
  }

  /** Cancel pending deliveries and waits (sockets close with the server). */
  cancelPending(): void {
    this.#engine.cancelAll();
    this.timers.cancelAll();
  }

  /** Cancel everything and close every long connection. */
  close(): void {
    this.cancelPending();
    this.hub.closeAll();
  }

  /** Back to a fresh start: options as created; meetings, deliveries, messages and user tokens forgotten. */
  reset(): void {
    this.#engine.clear();
    this.timers.cancelAll();
    this.#options = structuredClone(this.#initial);
    this.meetings.clear();
    this.userTokens.clear();
    this.sentMessages.length = 0;
    this.#mediaCuts = [];
  }

  #openIdOf(userId: string | undefined): string | undefined {
    if (userId === undefined) return undefined;
    const user = this.directory.user(userId);
    if (!user) throw new RangeError(`未知用户：${userId}`);
    return user.openId;
  }
}

/** The meeting family of a sandbox (or of its state). */
export function meetingFamily(target: SandboxState | { state: SandboxState }): MeetingFamily {
  const state = "families" in target ? target : target.state;
  let family = state.families.get(MEETING_FAMILY_KEY) as MeetingFamily | undefined;
  if (!family) {
    const created = new MeetingFamily(state);
    family = created;
    state.families.set(MEETING_FAMILY_KEY, created);
    state.onReset(() => created.reset());
    // Stopgap for a missing "sandbox closed" hook: `listen().close()` releases the
    // hang registry before shutting the server down, so cancel pending
    // redeliveries and waits then too (sockets close with the server by themselves).
    const release = state.hangs.release.bind(state.hangs);
    state.hangs.release = () => {
      created.cancelPending();
      return release();
    };
  }
  return family;
}
