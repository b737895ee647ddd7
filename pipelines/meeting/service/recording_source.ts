import type { TokenManager } from "../../../lib/token/token_manager.ts";
import type { RecordingApi } from "../../../lib/vc/recording_api.ts";
import type { RecordingSource, RecordingStatus } from "../ports.ts";

/** Options of {@linkcode LarkRecordingSource}. */
export interface LarkRecordingSourceOptions {
  /** The VC client. */
  api: Pick<RecordingApi, "getRecording">;
  /** Where the user's token comes from. */
  tokens: Pick<TokenManager, "userAuth">;
  /** The app acting for the user. */
  appId: string;
}

/**
 * {@linkcode RecordingSource} over `lib/vc`'s `RecordingApi`, called with the
 * meeting owner's own user token (`tokens.userAuth(appId, userId)`): a user
 * token only reads the owner's recordings. A user with no login, an expired
 * or set-aside one, or a revoked refresh token makes the call throw the token
 * manager's `AuthError` (`tokenKind: "refresh"`), which the worker turns into
 * `waiting_authorization`. "Not generated yet" (124002 / 121004) is
 * `{ready: false}`.
 *
 * @example
 * ```ts
 * import type { MeetingClients } from "./meeting_clients.ts";
 *
 * declare const clients: MeetingClients;
 * const recordings = new LarkRecordingSource({
 *   api: clients.recordings,
 *   tokens: clients.tokens,
 *   appId: clients.app.appId,
 * });
 * const rec = await recordings.getRecording("6911188411932033028", "zhangsan");
 * ```
 */
export class LarkRecordingSource implements RecordingSource {
  #o: LarkRecordingSourceOptions;

  /** Wrap the client. */
  constructor(options: LarkRecordingSourceOptions) {
    this.#o = options;
  }

  /** See {@linkcode RecordingSource.getRecording}. */
  async getRecording(meetingId: string, userId: string, signal?: AbortSignal): Promise<RecordingStatus> {
    const r = await this.#o.api.getRecording(meetingId, {
      auth: this.#o.tokens.userAuth(this.#o.appId, userId),
      signal,
      ids: { user_id: userId },
    });
    return r.ready ? { ready: true, url: r.url } : { ready: false };
  }
}
