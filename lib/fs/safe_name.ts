/**
 * The one file-name sanitiser of feishu-kit: safe single names on Windows and
 * Linux, bounded in characters and UTF-8 bytes, with collision suffixes and a
 * one-component join that never leaves its folder. Relative paths (folders
 * plus a name) go through {@linkcode containedPath}.
 *
 * @module
 */
import { resolve, sep } from "node:path";
import { BadRequestError } from "../errors/bad_request_error.ts";

/** Options of {@linkcode sanitizeFileName}. */
export interface SanitizeOptions {
  /** What replaces an illegal character (default `_`). */
  replacement?: string;
  /** Most characters (user-perceived) in the result, extension included (default 120). */
  maxChars?: number;
  /** Most UTF-8 bytes in the result, extension included (default 240; ext4 allows 255). */
  maxBytes?: number;
  /** Used when nothing is left (default `未命名`). */
  fallback?: string;
}

// Illegal on Windows (\ / : * ? " < > |), on Linux (/ and NUL), and C0/C1 control characters.
// deno-lint-ignore no-control-regex
const ILLEGAL = /[\\/:*?"<>|\u0000-\u001f\u007f-\u009f]/g;
// Bidirectional marks and zero-width spaces (they can disguise an extension). Joiners (U+200C/D)
// stay: emoji sequences and some scripts need them.
const INVISIBLE = /[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

const encoder = new TextEncoder();
const segmenter = new Intl.Segmenter();

/** UTF-8 length of `s`. */
export function utf8Length(s: string): number {
  return encoder.encode(s).length;
}

/** Split into user-perceived characters, so a cut never breaks an emoji or a combining mark. */
export function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

/**
 * Clean one piece of a name: NFC, invisible format characters dropped, white
 * space (tabs, line breaks…) collapsed to one space, characters illegal on
 * Windows or Linux and other control characters replaced, ends trimmed. No length bound, no reserved-name check.
 */
export function cleanPart(text: string, replacement = "_"): string {
  return text.normalize("NFC").replace(INVISIBLE, "").replace(/\s+/g, " ").replace(ILLEGAL, replacement)
    .replace(/ {2,}/g, " ").trim();
}

/**
 * Cut `text` to at most `maxChars` characters and `maxBytes` UTF-8 bytes,
 * on character boundaries.
 */
export function cutToFit(text: string, maxChars: number, maxBytes: number): string {
  let out = "";
  let chars = 0;
  let bytes = 0;
  for (const g of graphemes(text)) {
    const b = utf8Length(g);
    if (chars + 1 > maxChars || bytes + b > maxBytes) break;
    out += g;
    chars++;
    bytes += b;
  }
  return out;
}

/**
 * Make `name` a safe single file or folder name on both Windows and Linux:
 * illegal and control characters replaced, no leading dot (hidden file), no
 * trailing dot or space, Windows reserved names (`CON`, `PRN`, `AUX`, `NUL`,
 * `COM1`…, `LPT1`…, with or without an extension) escaped with a trailing
 * `_`, and the length bounded (the extension, when short, is kept). Never
 * returns `.`, `..`, an empty string or anything containing a separator.
 *
 * @example
 * ```ts
 * sanitizeFileName('研发/后端:组?'); // "研发_后端_组_"
 * sanitizeFileName("CON.mp4"); // "CON_.mp4"
 * ```
 */
export function sanitizeFileName(name: string, options: SanitizeOptions = {}): string {
  const rep = cleanPart(options.replacement ?? "_") || "_";
  const maxChars = options.maxChars ?? 120;
  const maxBytes = options.maxBytes ?? 240;
  let s = cleanPart(name, rep);
  s = s.replace(/^\.+/, (dots) => rep.repeat(dots.length));
  s = s.replace(/[. ]+$/, "");
  if (!s) s = cleanPart(options.fallback ?? "未命名", rep) || rep;
  const dot = s.lastIndexOf(".");
  const ext = dot > 0 && s.length - dot <= 11 ? s.slice(dot) : "";
  let stem = ext ? s.slice(0, dot) : s;
  const first = stem.split(".")[0];
  if (RESERVED.test(first)) stem = first + rep + stem.slice(first.length);
  stem = cutToFit(stem, maxChars - graphemes(ext).length, maxBytes - utf8Length(ext));
  stem = stem.replace(/[. ]+$/, "");
  return (stem || rep) + ext;
}

/**
 * Join `dir` and a single name component, refusing anything that would land
 * outside `dir` (separators, `..`, absolute names, empty names). Throws
 * `BadRequestError`.
 */
export function safeJoin(dir: string, name: string): string {
  // deno-lint-ignore no-control-regex
  const bad = !name || name === "." || name === ".." || /[\\/\u0000]/.test(name);
  const base = resolve(dir);
  const full = resolve(base, name);
  if (bad || !full.startsWith(base + sep) || full.slice(base.length + 1).includes(sep)) {
    throw new BadRequestError(`unsafe file name ${JSON.stringify(name)}`, {
      hint: `文件名「${name}」不安全（包含路径分隔符或 ..），已拒绝写入 ${dir} 之外的位置。`,
    });
  }
  return full;
}

/**
 * `name` with ` (n)` before the extension (n ≥ 2; n ≤ 1 returns `name`),
 * cut so the bounds still hold.
 *
 * @example
 * ```ts
 * suffixedName("周报.xlsx", 2); // "周报 (2).xlsx"
 * ```
 */
export function suffixedName(name: string, n: number, maxChars = 120, maxBytes = 240): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? name.slice(dot) : "";
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const tail = ` (${n})${ext}`;
  return cutToFit(stem, maxChars - graphemes(tail).length, maxBytes - utf8Length(tail)).trimEnd() + tail;
}

/** The first of `name`, `name (2)`, `name (3)`… for which `taken` is false. */
export async function firstFreeName(
  name: string,
  taken: (candidate: string) => boolean | Promise<boolean>,
  maxTries = 10_000,
): Promise<string> {
  for (let n = 1; n <= maxTries; n++) {
    const candidate = suffixedName(name, n);
    if (!(await taken(candidate))) return candidate;
  }
  throw new BadRequestError(`no free name for ${name}`, {
    hint: `已有 ${maxTries} 个同名文件「${name}」，请清理后重试。`,
  });
}
