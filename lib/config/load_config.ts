import { parse as parseYaml } from "yaml";
import { ConfigError } from "../errors/config_error.ts";
import { formatIssues } from "./format_issues.ts";
import { unknownKeys } from "./_unknown_keys.ts";
import type { Schema, SchemaOutput } from "../validate/schema.ts";

/** Options of {@linkcode loadConfig}. */
export interface LoadConfigOptions {
  /** YAML file to read; omitted means schema defaults only. */
  file?: string;
  /** Overrides by dotted key (from CLI flags), applied after the file. */
  overrides?: Record<string, unknown>;
  /** Overrides by dotted key taken from environment variables: `{ "app.app_secret": "FEISHU_APP_SECRET" }`. */
  env?: Record<string, string>;
  /** Environment reader (default `Deno.env.get`); tests pass a map. */
  getEnv?: (name: string) => string | undefined;
}

/** A validated configuration. */
export interface LoadedConfig<T> {
  /** The validated value with defaults applied. */
  config: T;
  /** Chinese warnings (unknown keys). */
  warnings: string[];
  /** The file read, if any. */
  file?: string;
}

/**
 * Read YAML config, apply environment variables and CLI overrides, validate
 * against `schema`, and warn about unknown keys. A bad value throws a
 * {@linkcode ConfigError} whose message names the key and the file in Chinese.
 * `schema` is a zod schema (unknown keys are found by walking its objects).
 */
export async function loadConfig<S extends Schema<unknown>>(
  schema: S,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig<SchemaOutput<S>>> {
  let raw: Record<string, unknown> = {};
  if (options.file) {
    let text: string;
    try {
      text = await Deno.readTextFile(options.file);
    } catch (e) {
      throw new ConfigError(`cannot read ${options.file}`, {
        cause: e,
        hint: e instanceof Deno.errors.NotFound
          ? `找不到配置文件 ${options.file}：可复制 config/ 下的 *.example.yaml 修改后使用。`
          : e instanceof Deno.errors.IsADirectory
          ? `配置文件 ${options.file} 不是文件（是目录）：请指定一个 YAML 文件。`
          : `无法读取配置文件 ${options.file}，请检查文件权限。`,
      });
    }
    try {
      raw = (parseYaml(text) ?? {}) as Record<string, unknown>;
    } catch (e) {
      // A permission error raised while parsing (the yaml package reads env) is not a syntax error.
      if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) throw e;
      throw new ConfigError(`YAML parse error in ${options.file}`, {
        cause: e,
        hint: `配置文件 ${options.file} 不是合法的 YAML：${(e as Error).message.split("\n")[0]}`,
      });
    }
    if (typeof raw !== "object" || Array.isArray(raw)) {
      throw new ConfigError("config root is not a mapping", {
        hint: `配置文件 ${options.file} 的顶层应为「键: 值」结构。`,
      });
    }
  }
  const getEnv = options.getEnv ?? ((n: string) => Deno.env.get(n));
  for (const [key, name] of Object.entries(options.env ?? {})) {
    const v = getEnv(name);
    if (v !== undefined && v !== "") setPath(raw, key, v);
  }
  for (const [key, v] of Object.entries(options.overrides ?? {})) if (v !== undefined) setPath(raw, key, v);
  const warnings = unknownKeys(schema, raw).map((k) =>
    `未知配置项 ${k}${options.file ? `（文件 ${options.file}）` : ""}，已忽略；请检查拼写。`
  );
  // reportInput: zod 4 leaves `issue.input` out otherwise, and formatIssues needs it to tell
  // a missing key from a value of the wrong type.
  const result = schema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const lines = formatIssues(result.error.issues, options.file);
    throw new ConfigError("invalid configuration", { hint: lines.join("\n") });
  }
  return { config: result.data as SchemaOutput<S>, warnings, file: options.file };
}

/** Set `obj.a.b.c = value` for key `a.b.c`, creating objects on the way. */
export function setPath(obj: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split(".");
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (!cur[p] || typeof cur[p] !== "object") cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}
