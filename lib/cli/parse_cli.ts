import { parseArgs, type ParseArgsConfig } from "node:util";

/** What {@linkcode parseCli} decided: the parsed flags, or an exit code (help shown / usage error). */
export type CliParse<T extends ParseArgsConfig["options"]> =
  | {
    ok: true;
    values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true }>>["values"];
    positionals: string[];
  }
  | { ok: false; exitCode: number };

/**
 * Parse command-line flags strictly with `node:util` `parseArgs`. `-h/--help`
 * prints `help` and yields exit code 0; an unknown or malformed flag prints a
 * Chinese usage error followed by `help` and yields exit code 2, as does a
 * positional argument when `allowPositionals` is false.
 */
export function parseCli<T extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: T,
  help: string,
  allowPositionals = true,
): CliParse<T> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
    });
  } catch (e) {
    console.error(`用法错误：${(e as Error).message}\n\n${help}`);
    return { ok: false, exitCode: 2 };
  }
  if (!allowPositionals && parsed.positionals.length) {
    console.error(`用法错误：不认识的参数 ${parsed.positionals[0]}\n\n${help}`);
    return { ok: false, exitCode: 2 };
  }
  if ((parsed.values as Record<string, unknown>).help) {
    console.log(help);
    return { ok: false, exitCode: 0 };
  }
  return { ok: true, values: parsed.values as never, positionals: parsed.positionals };
}

/** Whether a file or folder exists at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
