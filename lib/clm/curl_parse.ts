import { CurlParseError, HINT_COPY } from "./_curl_error.ts";
import { splitBash, splitCmd } from "./_curl_split.ts";

export { CurlParseError } from "./_curl_error.ts";
export { splitBash, splitCmd } from "./_curl_split.ts";

/** A browser request copied with devtools "Copy as cURL". */
export interface ParsedCurl {
  /** Full URL. */
  url: string;
  /** `https://contract.feishu.cn` part of the URL. */
  origin: string;
  /** Path (without the query). */
  path: string;
  /** Method: `-X`, else POST when there is a body, else GET. */
  method: string;
  /** Headers by lower-case name (repeated headers joined with `, `); the cookie is in `cookie`. */
  headers: Record<string, string>;
  /** Cookies from `-b/--cookie` and any `Cookie:` header, in order (later wins). */
  cookies: Record<string, string>;
  /** The cookies as one `a=b; c=d` header value ("" when none). */
  cookie: string;
  /** CSRF token from a header (`x-csrf-token`, `x-csrftoken`, ...) or a cookie. */
  csrfToken?: string;
  /** The raw body (`--data-raw`, `--data`, `--data-binary`, `-d`). */
  bodyText?: string;
  /** The body parsed as JSON, when it is JSON. */
  body?: unknown;
  /** Which shell the text was written for. */
  shell: "bash" | "cmd";
}

/** Options of {@linkcode parseCurl}. */
export interface ParseCurlOptions {
  /** Quoting rules: `auto` (default) tells bash from Windows cmd by `^` escapes. */
  shell?: "auto" | "bash" | "cmd";
}

const CSRF_HEADERS = ["x-csrf-token", "x-csrftoken", "x-xsrf-token", "csrf-token", "x-csrf"];
const CSRF_COOKIES = ["lark_oapi_csrf_token", "csrf_token", "_csrf_token", "xsrf-token", "csrftoken"];
/** Options that take a value we do not use. */
const SKIP_WITH_VALUE = new Set(
  "-o --output -u --user -x --proxy -m --max-time --connect-timeout --retry -w --write-out --resolve --cacert --cert --key"
    .split(" "),
);
/**
 * Parse a request copied with Chrome/Edge/Firefox devtools "Copy as cURL",
 * in bash form (`'...'`, `$'...'`, `\` line ends) or Windows cmd form
 * (`"..."`, `^` escapes, `^"`, `\"`, `^` line ends). Understands `-X/--request`,
 * `-H/--header`, `-b/--cookie`, `-d/--data/--data-raw/--data-binary/--data-ascii`,
 * `--url`, `-A/--user-agent`, `-e/--referer`; flags such as `--compressed`
 * and `--insecure` are accepted and ignored.
 */
export function parseCurl(text: string, options: ParseCurlOptions = {}): ParsedCurl {
  const src = text.replace(/^\uFEFF/, "").trim();
  if (/^(Invoke-WebRequest|Invoke-RestMethod|\$session\s*=)/i.test(src)) {
    throw new CurlParseError("PowerShell form", {
      hint: `这是 PowerShell 格式，不是 cURL。${HINT_COPY}`,
    });
  }
  if (!/^curl(\.exe)?\s/i.test(src)) {
    throw new CurlParseError("not a curl command", { hint: `内容不是以 curl 开头的命令。${HINT_COPY}` });
  }
  let shell = options.shell ?? "auto";
  if (shell === "auto") shell = /\^\s*\r?\n|\^"/.test(src) ? "cmd" : "bash";
  const words = shell === "cmd" ? splitCmd(src) : splitBash(src);
  return interpret(words.slice(1), shell);
}

function interpret(args: string[], shell: "bash" | "cmd"): ParsedCurl {
  let url: string | undefined;
  let method: string | undefined;
  const headers: Record<string, string> = {};
  const cookieParts: string[] = [];
  const bodies: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (name: string): string => {
      if (i + 1 >= args.length) {
        throw new CurlParseError(`missing value after ${name}`, {
          hint: `cURL 命令在 ${name} 之后缺少取值，内容可能不完整。${HINT_COPY}`,
        });
      }
      return args[++i];
    };
    const short = /^-([XHbdAe])(.+)$/.exec(arg); // -XPOST, -H'k: v'
    const [flag, inline] = short ? [`-${short[1]}`, short[2]] : [arg, undefined];
    const take = (name: string) => inline ?? value(name);
    switch (flag) {
      case "-X":
      case "--request":
        method = take(flag).toUpperCase();
        break;
      case "-H":
      case "--header": {
        const h = take(flag);
        const at = h.indexOf(":");
        if (at <= 0) break; // `-H 'X;'` (empty header) or junk
        const name = h.slice(0, at).trim().toLowerCase();
        const v = h.slice(at + 1).trim();
        if (name === "cookie") cookieParts.push(v);
        else headers[name] = headers[name] ? `${headers[name]}, ${v}` : v;
        break;
      }
      case "-b":
      case "--cookie":
        cookieParts.push(take(flag));
        break;
      case "-d":
      case "--data":
      case "--data-raw":
      case "--data-binary":
      case "--data-ascii":
        bodies.push(take(flag));
        break;
      case "-A":
      case "--user-agent":
        headers["user-agent"] = take(flag);
        break;
      case "-e":
      case "--referer":
        headers["referer"] = take(flag);
        break;
      case "--url":
        url = value(flag);
        break;
      default:
        if (SKIP_WITH_VALUE.has(arg)) i++;
        else if (!arg.startsWith("-") && url === undefined) url = arg;
    }
  }
  if (!url) throw new CurlParseError("no URL", { hint: `cURL 命令中没有找到请求地址。${HINT_COPY}` });
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch (e) {
    throw new CurlParseError(`bad URL ${url}`, {
      cause: e,
      hint: `cURL 命令中的地址无法识别：${url.slice(0, 80)}。${HINT_COPY}`,
    });
  }
  const cookies = parseCookies(cookieParts);
  const cookie = Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join("; ");
  const bodyText = bodies.length ? bodies.join("&") : undefined;
  let body: unknown;
  if (bodyText !== undefined) {
    try {
      body = JSON.parse(bodyText);
    } catch { /* a form body stays text */ }
  }
  const csrfToken = CSRF_HEADERS.map((h) => headers[h]).find((v) => v) ??
    Object.entries(cookies).find(([k]) => CSRF_COOKIES.includes(k.toLowerCase()))?.[1];
  return {
    url: parsedUrl.href,
    origin: parsedUrl.origin,
    path: parsedUrl.pathname,
    method: method ?? (bodyText !== undefined ? "POST" : "GET"),
    headers,
    cookies,
    cookie,
    csrfToken,
    bodyText,
    body,
    shell,
  };
}

/** Split `a=b; c=d` cookie strings into a record (later values win). */
export function parseCookies(parts: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of parts) {
    for (const pair of part.split(";")) {
      const at = pair.indexOf("=");
      if (at <= 0) continue;
      out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
  }
  return out;
}
