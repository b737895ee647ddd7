/**
 * File names from templates such as `合同协同_{start:YYYYMMDD}-{end:YYYYMMDD}.xlsx`.
 * Placeholders: `{start:YYYYMMDD}`, `{end:YYYYMMDD}`, `{start:YYYY-MM-DD}`,
 * `{end:YYYY-MM-DD}`, `{start}`/`{end}` (same as `YYYYMMDD`), `{index}`
 * (window id, 3 digits) and `{rows}` (rows in the file). The result goes
 * through the project's one sanitiser (lib/fs/safe_name.ts); a name already taken
 * gets ` (2)`, ` (3)`, ... before the extension.
 *
 * @module
 */

import { sanitizeFileName as sanitizeName } from "../../lib/fs/safe_name.ts";

/** Values for a template. */
export interface NameVars {
  /** First day, `YYYY-MM-DD`. */
  start: string;
  /** Last day, `YYYY-MM-DD`. */
  end: string;
  /** Window id. */
  index?: number;
  /** Rows in the file. */
  rows?: number;
}

const PLACEHOLDER = /\{([a-z]+)(?::([^}]*))?\}/g;
const FORMATS = new Set(["YYYYMMDD", "YYYY-MM-DD"]);

/** Why a template is unusable (Chinese), or undefined when it is fine. */
export function templateProblem(template: string): string | undefined {
  for (const m of template.matchAll(PLACEHOLDER)) {
    const [, name, format] = m;
    if (name === "start" || name === "end") {
      if (format !== undefined && !FORMATS.has(format)) {
        return `文件名模板中 {${name}:${format}} 的日期格式不支持，可用 YYYYMMDD 或 YYYY-MM-DD`;
      }
    } else if (name === "index" || name === "rows") {
      if (format !== undefined) return `文件名模板中 {${name}} 不带格式`;
    } else return `文件名模板中的占位符 {${name}} 不支持，可用 {start:…}、{end:…}、{index}、{rows}`;
  }
  const rest = template.replace(PLACEHOLDER, "");
  if (/[{}]/.test(rest)) return "文件名模板中的花括号不成对";
  if (/[\\/]/.test(rest)) return "文件名模板不能包含目录分隔符 / 或 \\";
  if (!/\.xlsx$/i.test(template)) return "文件名模板应以 .xlsx 结尾";
  return undefined;
}

/** Render a template, then make the result a legal file name. */
export function renderFileName(template: string, vars: NameVars): string {
  const name = template.replace(PLACEHOLDER, (_m, key: string, format?: string) => {
    switch (key) {
      case "start":
      case "end": {
        const iso = key === "start" ? vars.start : vars.end;
        return format === "YYYY-MM-DD" ? iso : iso.replaceAll("-", "");
      }
      case "index":
        return vars.index === undefined ? "" : String(vars.index).padStart(3, "0");
      case "rows":
        return vars.rows === undefined ? "" : String(vars.rows);
      default:
        return "";
    }
  });
  return sanitizeFileName(name);
}

/** The project's one sanitiser, with `_` when nothing is left (see lib/fs/safe_name.ts). */
export function sanitizeFileName(name: string): string {
  return sanitizeName(name, { fallback: "_" });
}

/** `name`, then `stem (2).ext`, `stem (3).ext`, ... */
export function* nameCandidates(name: string): Generator<string> {
  yield name;
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : "";
  for (let i = 2;; i++) yield `${stem} (${i})${ext}`;
}

/** The first of {@linkcode nameCandidates} for which `taken` is false. */
export function uniqueName(name: string, taken: (candidate: string) => boolean): string {
  for (const c of nameCandidates(name)) if (!taken(c)) return c;
  throw new Error("unreachable");
}

/** {@linkcode uniqueName} with an asynchronous check. */
export async function uniqueNameAsync(
  name: string,
  taken: (candidate: string) => Promise<boolean>,
): Promise<string> {
  for (const c of nameCandidates(name)) if (!(await taken(c))) return c;
  throw new Error("unreachable");
}
