/**
 * The pre-signed media download (`GET /__media/:minute_token?expires=&sig=`),
 * standing in for the CDN link of `minutes/:token/media`: no Authorization
 * header; HMAC-signed `expires` (ms, sandbox clock). `Range` gives 206 +
 * `Content-Range`, an unsatisfiable range 416 + `Content-Range: bytes *\/size`.
 *
 * ASSUMPTIONS (a CDN's answers, not documented by Feishu): an expired link
 * or a bad signature → HTTP 403 with an S3-style XML error body
 * (`AccessDenied` / `SignatureDoesNotMatch`), an unknown object → 404
 * `NoSuchKey`; the `Content-Disposition` file name is `<token>.mp4`.
 *
 * @module
 */
import type { SandboxContext } from "../_env.ts";
import { hmacHex } from "../events/event_crypto.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";
import { parseRange } from "../_range.ts";
import { mediaStream } from "./media.ts";

/** Signature of a media link. */
export function mediaSignature(family: MeetingFamily, token: string, expires: number): Promise<string> {
  return hmacHex(family.mediaSecret, `${token}\n${expires}`);
}

function xmlError(status: number, code: string, message: string): Response {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`;
  return new Response(body, { status, headers: { "content-type": "application/xml" } });
}

/** Answer a media download. */
export async function serveMedia(c: SandboxContext, family: MeetingFamily): Promise<Response> {
  const token = c.req.param("minute_token") ?? "";
  const expires = Number(c.req.query("expires"));
  const sig = c.req.query("sig") ?? "";
  if (!Number.isSafeInteger(expires) || sig !== await mediaSignature(family, token, expires)) {
    return xmlError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match.");
  }
  if (family.state.clock.now() > expires) return xmlError(403, "AccessDenied", "Request has expired");
  const meeting = family.meetings.byMinuteToken(token);
  if (!meeting) return xmlError(404, "NoSuchKey", "The specified key does not exist.");
  const size = meeting.mediaSizeBytes;
  const headers: Record<string, string> = {
    "content-type": "video/mp4",
    "accept-ranges": "bytes",
    "content-disposition": `attachment; filename="${token}.mp4"`,
    "etag": `"${token}-${size}"`,
    "last-modified": new Date(meeting.recordingReadyAt).toUTCString(),
  };
  const range = parseRange(c.req.header("range"), size);
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size;
  headers["content-length"] = String(end - start);
  if (range) headers["content-range"] = `bytes ${start}-${end - 1}/${size}`;
  const cut = family.takeMediaCut();
  const entry = c.get("entry");
  if (cut !== undefined && entry) entry.fault = "drop";
  const body = mediaStream({ token, size, start, end, cutAfterBytes: cut });
  return new Response(body, { status: range ? 206 : 200, headers });
}
