import type { z } from "zod";

/** A record that does not match its NDJSON file's schema. */
export class NdjsonLineError extends Error {
  /** The file. */
  readonly path: string;
  /** 1-based line number (undefined for a record refused before it was written). */
  readonly line: number | undefined;
  /** Schema issues, when the line was JSON but not the expected shape. */
  readonly issues: readonly z.core.$ZodIssue[];

  /** Describe a bad line of `path`. */
  constructor(path: string, line: number | undefined, cause: z.ZodError | Error) {
    const issues = "issues" in cause ? (cause as z.ZodError).issues : [];
    const what = issues.length
      ? issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")
      : cause.message;
    super(`${path}${line === undefined ? "" : `:${line}`}: ${what}`, { cause });
    this.name = "NdjsonLineError";
    this.path = path;
    this.line = line;
    this.issues = issues;
  }
}
