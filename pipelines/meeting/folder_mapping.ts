import { parse as parseYaml } from "yaml";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { readTable } from "../../lib/excel/read_table.ts";

const USER_COLUMNS = ["user_id", "userid", "用户id", "用户 id"];
const FOLDER_COLUMNS = ["folder", "文件夹", "目录", "个人目录"];

/**
 * Read the personal-folder mapping file (`nas.mapping_file`): user id →
 * folder name under the NAS root. Formats:
 * - CSV or xlsx with a header row containing `user_id` and `folder` (or
 *   `文件夹`); rows with an empty folder are ignored — the file exported by
 *   `deno task meeting:users` can be filled in and used as it is;
 * - YAML: either a mapping `{ <user_id>: <folder> }` or a list of
 *   `{ user_id, folder }`.
 *
 * Throws `ConfigError` (Chinese hint) when the file is missing or malformed.
 */
export async function loadFolderMapping(path: string): Promise<Map<string, string>> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    throw new ConfigError(`cannot read ${path}`, {
      cause: e,
      hint: `无法读取个人目录映射文件 ${path}（nas.mapping_file）：请检查路径，或留空不使用映射。`,
    });
  }
  const out = new Map<string, string>();
  const put = (user: unknown, folder: unknown) => {
    const u = cell(user);
    const f = cell(folder);
    if (u && f) out.set(u, f);
  };
  if (/\.ya?ml$/i.test(path)) {
    let doc: unknown;
    try {
      doc = parseYaml(new TextDecoder().decode(bytes));
    } catch (e) {
      throw bad(path, `不是合法的 YAML：${(e as Error).message.split("\n")[0]}`);
    }
    if (Array.isArray(doc)) {
      for (const r of doc) {
        if (r && typeof r === "object") put(pick(r, USER_COLUMNS), pick(r, FOLDER_COLUMNS));
      }
    } else if (doc && typeof doc === "object") {
      for (const [k, v] of Object.entries(doc)) put(k, v);
    } else if (doc != null) {
      throw bad(path, "应为「user_id: 文件夹」映射或 {user_id, folder} 列表");
    }
    return out;
  }
  const table = readTable(bytes);
  const lower = table.headers.map((h) => h.replace(/^\ufeff/, "").toLowerCase());
  const userCol = table.headers[lower.findIndex((h) => USER_COLUMNS.includes(h))];
  const folderCol = table.headers[lower.findIndex((h) => FOLDER_COLUMNS.includes(h))];
  if (!userCol || !folderCol) throw bad(path, "表头需包含 user_id 与 folder（或「文件夹」）两列");
  for (const r of table.rows) put(r[userCol], r[folderCol]);
  return out;
}

function pick(r: Record<string, unknown>, names: string[]): unknown {
  for (const [k, v] of Object.entries(r)) if (names.includes(k.toLowerCase())) return v;
  return undefined;
}

function cell(v: unknown): string {
  return typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : "";
}

function bad(path: string, what: string): ConfigError {
  return new ConfigError(`bad mapping file ${path}`, {
    hint: `个人目录映射文件 ${path} 格式错误：${what}。`,
  });
}
