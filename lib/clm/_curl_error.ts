import { ConfigError } from "../errors/config_error.ts";
import type { LarkErrorInit } from "../errors/lark_error.ts";

/** A copied cURL command that cannot be read. The hint says what to copy instead. */
export class CurlParseError extends ConfigError {
  /** Create the error; see {@linkcode LarkErrorInit}. */
  constructor(message: string, init: LarkErrorInit = {}) {
    super(message, init);
  }
}

/** How to copy a request the parser can read (the end of every hint). */
export const HINT_COPY =
  "请在浏览器开发者工具「网络」面板中右键导出请求，选择「复制 → 以 cURL 格式复制(bash)」或「(cmd)」，" +
  "把完整内容保存为文本文件后通过 --curl 传入。";
