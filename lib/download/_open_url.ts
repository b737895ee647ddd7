import { netPermissionError } from "../http/net_permission_error.ts";
import { DownloadError } from "./download_error.ts";

/** Settings of {@linkcode openUrl}. */
export interface OpenSettings {
  fetch: typeof fetch;
  headers: Record<string, string>;
  maxRedirects: number;
  connectTimeoutMs: number;
  /** Aborts the request and, later, its body. */
  signal: AbortSignal;
}

const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

/**
 * GET `url`, following redirects by hand: at most `maxRedirects`, never from
 * https to http, and without credential headers once the origin changes.
 * Resolves with the first non-redirect response and the URL that gave it.
 */
export async function openUrl(url: string, s: OpenSettings): Promise<{ res: Response; url: string }> {
  const origin = new URL(url).origin;
  let current = new URL(url);
  for (let hop = 0;; hop++) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.headers)) {
      if (current.origin !== origin && CREDENTIAL_HEADERS.includes(k.toLowerCase())) continue;
      headers[k] = v;
    }
    const timer = new AbortController();
    const id = setTimeout(
      () => timer.abort(new DOMException("connect timeout", "TimeoutError")),
      s.connectTimeoutMs,
    );
    let res: Response;
    try {
      res = await s.fetch(current, {
        headers,
        redirect: "manual",
        signal: AbortSignal.any([s.signal, timer.signal]),
      });
    } catch (e) {
      throw netPermissionError(e, current) ?? e;
    } finally {
      clearTimeout(id);
    }
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) return { res, url: current.href };
    await res.body?.cancel().catch(() => {});
    if (hop >= s.maxRedirects) {
      throw new DownloadError("too_many_redirects", `more than ${s.maxRedirects} redirects`);
    }
    const next = new URL(location, current);
    if (current.protocol === "https:" && next.protocol !== "https:") {
      throw new DownloadError("insecure_redirect", `refused redirect from https to ${next.protocol}`);
    }
    current = next;
  }
}
