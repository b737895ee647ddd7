import { ConfigError } from "../errors/config_error.ts";

/** Options of {@linkcode readSecret}. */
export interface ReadSecretOptions {
  /** Where the prompt goes (default stderr). */
  write?: (text: string) => void;
  /** Input (default `Deno.stdin`). */
  stdin?: {
    readable: ReadableStream<Uint8Array>;
    isTerminal(): boolean;
    setRaw?(mode: boolean, options?: { cbreak: boolean }): void;
  };
}

/**
 * Read a secret for a command-line tool, never from argv: on a terminal the prompt is
 * shown and typing is not echoed (raw mode; Backspace works, Ctrl-C / Ctrl-D abort); when
 * stdin is a pipe or a file its first line is taken (`echo "$SECRET" | deno task …`).
 * An empty answer is a {@linkcode ConfigError}.
 */
export async function readSecret(prompt: string, options: ReadSecretOptions = {}): Promise<string> {
  const stdin = options.stdin ?? Deno.stdin;
  const write = options.write ?? ((t: string) => Deno.stderr.writeSync(new TextEncoder().encode(t)));
  const tty = stdin.isTerminal();
  if (tty) write(prompt);
  const reader = stdin.readable.getReader();
  const bytes: number[] = [];
  let aborted = false;
  if (tty) stdin.setRaw?.(true);
  try {
    outer: for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const b of value) {
        if (b === 0x0a || b === 0x0d) break outer;
        if (tty && (b === 0x03 || b === 0x04)) {
          aborted = true;
          break outer;
        }
        if (tty && (b === 0x7f || b === 0x08)) {
          bytes.pop();
          continue;
        }
        bytes.push(b);
      }
    }
  } finally {
    if (tty) {
      stdin.setRaw?.(false);
      write("\n");
    }
    reader.releaseLock();
  }
  const text = new TextDecoder().decode(new Uint8Array(bytes)).trim();
  if (aborted || !text) {
    throw new ConfigError(aborted ? "secret entry cancelled" : "no secret given", {
      hint: aborted
        ? "已取消输入。"
        : "没有读到 App Secret：请在提示处输入，或通过标准输入传入（例如 `printf '%s\\n' \"$SECRET\" | deno task apps add …`）。",
    });
  }
  return text;
}
