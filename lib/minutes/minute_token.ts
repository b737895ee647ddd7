/**
 * The minute token of a recording URL: the path segment after `minutes`
 * (`https://meetings.feishu.cn/minutes/obcnq3b9jl72l83w4f149w9c` →
 * `obcnq3b9jl72l83w4f149w9c`), else the last path segment. Tokens are
 * lowercase letters and digits; anything else gives `undefined`.
 *
 * @example
 * ```ts
 * minuteTokenFromUrl("https://meetings.feishu.cn/minutes/obcnq3b9jl72l83w4f149w9c?from=vc"); // "obcnq3b9jl72l83w4f149w9c"
 * ```
 */
export function minuteTokenFromUrl(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const segments = path.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
  const at = segments.lastIndexOf("minutes");
  const token = at >= 0 ? segments[at + 1] : segments.at(-1);
  return token && /^[a-z0-9]+$/.test(token) ? token : undefined;
}
