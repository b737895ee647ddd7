/** Shared fixtures for the event tests (not a test file itself). */
import { computeSignature } from "../../lib/events/mod.ts";
import { encryptEvent } from "../../lib/testing/mod.ts";

export const ENCRYPT_KEY = "kT3q-encrypt-key-for-tests";
export const VERIFICATION_TOKEN = "vt-0123456789abcdef";
export const APP_ID = "cli_a1b2c3d4e5f60718";

/** A `vc.meeting.all_meeting_ended_v1` v2 envelope as Feishu documents it. */
export function meetingEndedEnvelope(eventId: string, token = VERIFICATION_TOKEN): Record<string, unknown> {
  return {
    schema: "2.0",
    header: {
      event_id: eventId,
      event_type: "vc.meeting.all_meeting_ended_v1",
      create_time: "1768788000123",
      token,
      app_id: APP_ID,
      tenant_key: "tenant-1",
    },
    event: {
      meeting: {
        id: "6911188411932033028",
        topic: "周会",
        meeting_no: "235812466",
        meeting_source: 1,
        start_time: "1768788000",
        end_time: "1768791600",
        host_user: {
          id: { open_id: "ou_host", union_id: "on_host", user_id: "host01" },
          user_role: 1,
          user_type: 1,
        },
        owner: {
          id: { open_id: "ou_owner", union_id: "on_owner", user_id: "zhangsan" },
          user_role: 1,
          user_type: 1,
        },
        calendar_event_id: "efa67a98-06a8-4df5-8559-746c8f4477ef_0",
      },
      operator: {
        id: { open_id: "ou_host", union_id: "on_host", user_id: "host01" },
        user_role: 1,
        user_type: 1,
      },
    },
  };
}

/** Headers and body of a request Feishu would send: encrypted and signed. */
export async function signedEncrypted(
  payload: unknown,
  key = ENCRYPT_KEY,
): Promise<{ body: string; headers: Record<string, string> }> {
  const body = JSON.stringify({ encrypt: await encryptEvent(JSON.stringify(payload), key) });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = crypto.randomUUID();
  const signature = computeSignature({ timestamp, nonce, encryptKey: key, rawBody: body });
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-lark-request-timestamp": timestamp,
      "x-lark-request-nonce": nonce,
      "x-lark-signature": signature,
    },
  };
}
