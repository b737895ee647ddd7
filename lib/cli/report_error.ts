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
  const msg = e instanceof Error ? e.message : String(e);
  write(`意外错误：${maskText(msg)}（详情见日志文件；如可复现请反馈）`);
}
