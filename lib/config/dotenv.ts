/**
 * Read a `.env` file (`KEY=value` lines; `#` comments, `export ` prefixes,
 * single or double quotes, `\n` and `\"` escapes in double quotes). A missing file is
 * an empty map. Values never override the real environment: callers look in
 * `Deno.env` first.
 *
 * @example
 * ```ts
 * import { readDotenv } from "./dotenv.ts";
 * const env = await readDotenv(".env");
 * const token = Deno.env.get("PERSONAL_BASE_TOKEN") ?? env.PERSONAL_BASE_TOKEN;
 * ```
 */
export async function readDotenv(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return {};
    throw e;
  }
  return parseDotenv(text);
}

/** Parse `.env` text. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2];
    if (v.startsWith('"')) {
      // The closing quote is the first one not escaped with a backslash.
      const end = /(?<!\\)"/.exec(v.slice(1))?.index;
      v = (end !== undefined ? v.slice(1, end + 1) : v.slice(1)).replace(/\\n/g, "\n").replace(/\\"/g, '"');
    } else if (v.startsWith("'")) {
      const end = v.indexOf("'", 1);
      v = end > 0 ? v.slice(1, end) : v.slice(1);
    } else {
      v = v.replace(/\s+#.*$/, "").trim();
    }
    out[m[1]] = v;
  }
  return out;
}
