import type { NdjsonLineError } from "../ndjson/ndjson_line_error.ts";

/**
 * Tell a person about the NDJSON lines a replay skipped: torn ones (the line
 * a killed process was writing: normal) in one sentence, malformed ones (JSON,
 * but not the stage's shape) each with file, line and the fields at fault,
 * at most `max`. Returns how many were malformed (a replay exits 3 then).
 *
 * @example
 * ```ts
 * import { reportInvalidLines } from "./report_invalid_lines.ts";
 * const malformed = reportInvalidLines([], (l) => console.error(l)); // 0, nothing printed
 * ```
 */
export function reportInvalidLines(
  invalid: readonly NdjsonLineError[],
  write: (line: string) => void = (l) => console.error(l),
  max = 20,
): number {
  const torn = invalid.filter((e) => e.issues.length === 0);
  const wrong = invalid.filter((e) => e.issues.length > 0);
  if (torn.length) write(`\n跳过 ${torn.length} 行不完整的记录（进程被中断时写了一半，属正常）。`);
  if (wrong.length) {
    write(`\n有 ${wrong.length} 行不符合该阶段的格式：`);
    for (const e of wrong.slice(0, max)) write(`  ${e.message}`);
  }
  return wrong.length;
}
