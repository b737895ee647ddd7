import { CurlParseError, HINT_COPY } from "./_curl_error.ts";

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
