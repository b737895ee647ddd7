import { LarkError } from "../errors/lark_error.ts";
import { maskText } from "../log/mask.ts";

/**
 * Print an error for a person: an expected failure ({@linkcode LarkError})
 * as its Chinese hint with code and log id, anything else as one line plus a
 * pointer to the log. Never a stack trace for an expected failure.
 */
export function reportError(e: unknown, write: (line: string) => void = (l) => console.error(l)): void {
  if (e instanceof LarkError) {
    write(`错误：${maskText(e.userMessage())}`);
    return;
  }
  if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
    const what = (e as Error).message.match(/access to "([^"]+)"/)?.[1];
    write(
      `错误：权限不足${
        what ? `（${maskText(what)}）` : ""
      }。deno task 只授予了必要的权限（例如只允许写入当前目录）：` +
        "请把输出路径设在当前目录下，或改用 deno run -A 运行脚本。",
    );
    return;
  }
  const msg = e instanceof Error ? e.message : String(e);
  write(`意外错误：${maskText(msg)}（详情见日志文件；如可复现请反馈）`);
}
