import { ConfigError } from "../errors/config_error.ts";

/**
 * When `fetch` to `url` was refused by the runtime's permissions
 * (`Deno.errors.NotCapable` / `PermissionDenied`: the host is not in the
 * task's `--allow-net` list), the {@linkcode ConfigError} to raise instead:
 * not retried, with a Chinese hint naming the host (and no runtime text).
 * Undefined for any other failure.
 *
 * @example
 * ```ts
 * import { netPermissionError } from "./net_permission_error.ts";
 * const url = new URL("https://example.com/x");
 * try {
 *   await fetch(url);
 * } catch (e) {
 *   throw netPermissionError(e, url) ?? e;
 * }
 * ```
 */
export function netPermissionError(e: unknown, url: string | URL): ConfigError | undefined {
  if (!(e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied)) return undefined;
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    host = String(url);
  }
  return new ConfigError(`network access to ${host} is not permitted`, {
    cause: e,
    hint: `本工具不允许访问 ${host}（不在该命令允许访问的主机列表中，已停止、不会重试）：` +
      "请检查配置中的地址（如 base_url）或复制的 cURL 是否指向飞书；飞书地址、本机沙箱之外的主机一律不会访问。",
  });
}
