import { ConfigError } from "../errors/config_error.ts";
import type { LarkErrorInit } from "../errors/lark_error.ts";

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

/** A copied cURL command that cannot be read. The hint says what to copy instead. */
export class CurlParseError extends ConfigError {
  /** Create the error; see {@linkcode LarkErrorInit}. */
  constructor(message: string, init: LarkErrorInit = {}) {
    super(message, init);
  }
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
const HINT_COPY =
  "请在浏览器开发者工具「网络」面板中右键导出请求，选择「复制 → 以 cURL 格式复制(bash)」或「(cmd)」，" +
  "把完整内容保存为文本文件后通过 --curl 传入。";

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

function unterminated(shell: string): CurlParseError {
  return new CurlParseError(`unterminated quote (${shell})`, {
    hint: `cURL 命令中的引号没有闭合，内容可能被截断。${HINT_COPY}`,
  });
}

/** Split a bash command line into words: `'...'`, `$'...'`, `"..."`, `\` escapes and line continuations. */
export function splitBash(src: string): string[] {
  const words: string[] = [];
  let cur: string | null = null;
  let i = 0;
  const add = (s: string) => cur = (cur ?? "") + s;
  while (i < src.length) {
    const c = src[i];
    if (c === "\\" && (src[i + 1] === "\n" || (src[i + 1] === "\r" && src[i + 2] === "\n"))) {
      i += src[i + 1] === "\r" ? 3 : 2; // line continuation
    } else if (/\s/.test(c)) {
      if (cur !== null) words.push(cur);
      cur = null;
      i++;
    } else if (c === "\\") {
      add(src[i + 1] ?? "");
      i += 2;
    } else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw unterminated("bash");
      add(src.slice(i + 1, end));
      i = end + 1;
    } else if (c === "$" && src[i + 1] === "'") {
      const r = readAnsiC(src, i + 2);
      add(r.text);
      i = r.next;
    } else if (c === '"') {
      let j = i + 1;
      let s = "";
      for (; j < src.length && src[j] !== '"'; j++) {
        if (src[j] === "\\" && j + 1 < src.length) {
          const n = src[j + 1];
          if (n === "\n") j++;
          else if ('$`"\\'.includes(n)) s += src[++j];
          else s += "\\";
        } else s += src[j];
      }
      if (j >= src.length) throw unterminated("bash");
      add(s);
      i = j + 1;
    } else {
      add(c);
      i++;
    }
  }
  if (cur !== null) words.push(cur);
  return words;
}

/** Read the body of `$'...'` from `i` (after the quote): returns the text and the index after the closing quote. */
function readAnsiC(src: string, i: number): { text: string; next: number } {
  let out = "";
  // Single-character escapes of bash ANSI-C quoting: \n \t \r \a \b \e \E \f \v \\ \' \" \?
  const simple: Record<string, string> = Object.fromEntries(
    [..."ntrabeEfv\\'\"?"].map((c, k) => [c, "\n\t\r\x07\b\x1b\x1b\f\v\\'\"?"[k]]),
  );
  while (i < src.length) {
    const c = src[i];
    if (c === "'") return { text: out, next: i + 1 };
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const n = src[i + 1];
    if (n in simple) {
      out += simple[n];
      i += 2;
      continue;
    }
    const hex = (max: number) => {
      const m = new RegExp(`^[0-9a-fA-F]{1,${max}}`).exec(src.slice(i + 2));
      return m ? m[0] : "";
    };
    if (n === "x" || n === "u" || n === "U") {
      const h = hex(n === "x" ? 2 : n === "u" ? 4 : 8);
      if (!h) {
        out += `\\${n}`;
        i += 2;
        continue;
      }
      const cp = parseInt(h, 16);
      // `\xHH` is a byte; Chrome only writes it for ASCII, so treat it as a code point.
      out += String.fromCodePoint(cp);
      i += 2 + h.length;
    } else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(src.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m, 8));
      i += 1 + m.length;
    } else {
      out += `\\${n ?? ""}`;
      i += 2;
    }
  }
  throw unterminated("bash");
}

/**
 * Split a Windows cmd command line into words. First cmd's `^` escapes are
 * undone (`^x` → `x`, `^` at a line end joins lines), then the C runtime's
 * quoting: `"` toggles quoting, `\"` is a quote, `""` inside quotes is a
 * quote, backslashes before a quote halve.
 */
export function splitCmd(src: string): string[] {
  let s = "";
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c !== "^") {
      s += c;
      continue;
    }
    const n = src[i + 1];
    if (n === "\r" && src[i + 2] === "\n") i += 2;
    else if (n === "\n") i += 1;
    else if (n !== undefined) s += src[++i];
  }
  const words: string[] = [];
  let cur: string | null = null;
  let quoted = false;
  let i = 0;
  const add = (x: string) => cur = (cur ?? "") + x;
  while (i < s.length) {
    const c = s[i];
    if (c === "\\") {
      let n = 0;
      while (s[i + n] === "\\") n++;
      if (s[i + n] === '"') {
        add("\\".repeat(Math.floor(n / 2)));
        if (n % 2 === 1) {
          add('"');
          i += n + 1;
        } else i += n;
      } else {
        add("\\".repeat(n));
        i += n;
      }
    } else if (c === '"') {
      if (quoted && s[i + 1] === '"') {
        add('"');
        i += 2;
      } else {
        quoted = !quoted;
        add("");
        i++;
      }
    } else if (!quoted && /\s/.test(c)) {
      if (cur !== null) words.push(cur);
      cur = null;
      i++;
    } else {
      add(c);
      i++;
    }
  }
  if (quoted) throw unterminated("cmd");
  if (cur !== null) words.push(cur);
  return words;
}
