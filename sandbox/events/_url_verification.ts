/**
 * The `url_verification` challenge Feishu sends when a request URL is saved
 * (open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/request-url-configuration-case): `{"challenge","token","type":"url_verification"}`,
 * encrypted when an Encrypt Key is set; the receiver must echo
 * `{"challenge": …}` within 1 s.
 *
 * @module
 */
import { buildWebhookRequest } from "./deliveries.ts";
import { randomHex } from "./event_crypto.ts";
import type { MeetingFamily } from "../scenarios/meeting/family.ts";

/** The 1-second answer window of URL verification. */
export const URL_VERIFICATION_TIMEOUT_MS = 1000;

/** Outcome of a URL verification. */
export interface UrlVerificationResult {
  /** `true` when HTTP 200 came in time with the same challenge. */
  ok: boolean;
  /** The challenge sent. */
  challenge: string;
  /** URL it was sent to. */
  url: string;
  /** HTTP status, when an answer came. */
  status?: number;
  /** Answer body (first 2 000 characters). */
  body?: string;
  /** Time to answer, ms. */
  ms: number;
  /** Why it failed, when it did. */
  error?: string;
}

/** Send a URL verification to `opts.url` (default the configured webhook) and check the echo. */
export async function urlVerification(
  family: MeetingFamily,
  opts: { url?: string; challenge?: string },
): Promise<UrlVerificationResult> {
  const o = family.options;
  const url = opts.url ?? o.webhookUrl;
  if (!url || !URL.canParse(url)) {
    throw new RangeError("没有可用的 webhook 地址：请设置 webhookUrl 或在请求中给出 url");
  }
  const challenge = opts.challenge ?? randomHex(36);
  const payload = JSON.stringify({ challenge, token: o.verificationToken, type: "url_verification" });
  const request = await buildWebhookRequest(payload, {
    encryptKey: o.encryptKey,
    timestampSec: Math.floor(family.state.clock.now() / 1000),
  });
  const started = Date.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), URL_VERIFICATION_TIMEOUT_MS);
  try {
    const res = await fetch(url, { method: "POST", ...request, redirect: "manual", signal: abort.signal });
    const body = await res.text();
    let echoed: unknown;
    try {
      echoed = JSON.parse(body)?.challenge;
    } catch { /* not JSON: not ok */ }
    const ok = res.status === 200 && echoed === challenge;
    return {
      ok,
      challenge,
      url,
      status: res.status,
      body: body.slice(0, 2000),
      ms: Date.now() - started,
      error: ok ? undefined : "回应中没有相同的 challenge",
    };
  } catch (e) {
    const error = abort.signal.aborted ? "超过 1 秒未回应" : e instanceof Error ? e.message : String(e);
    return { ok: false, challenge, url, ms: Date.now() - started, error };
  } finally {
    clearTimeout(timer);
  }
}
