/** Read a response body as JSON when it says it is JSON (or looks like it); undefined otherwise. */
export async function readJsonBody(res: Response): Promise<{ json?: unknown; text?: string }> {
  const type = res.headers.get("content-type") ?? "";
  const text = await res.text();
  if (type.includes("json") || /^\s*[{[]/.test(text)) {
    try {
      return { json: JSON.parse(text), text };
    } catch {
      return { text };
    }
  }
  return { text };
}

/** True when a body looks like an HTML page (login pages, gateways). */
export function looksLikeHtml(res: Response, text: string | undefined): boolean {
  const type = res.headers.get("content-type") ?? "";
  return type.includes("text/html") || /^\s*<(!doctype|html)/i.test(text ?? "");
}

/** Number or undefined. */
export function numberOrUndefined(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}
