import type { SchemaIssue } from "../validate/schema.ts";

/** A record that does not match its NDJSON file's schema. */
export class NdjsonLineError extends Error {
  /** The file. */
  readonly path: string;
  /** 1-based line number (undefined for a record refused before it was written). */
  readonly line: number | undefined;
  /** Schema issues, when the line was JSON but not the expected shape. */
  readonly issues: readonly SchemaIssue[];

  /**
   * Describe a bad line of `path`: `cause` is the schema's error (its issues)
   * or the JSON parse error.
   */
  constructor(
    path: string,
    line: number | undefined,
    cause: Error | { readonly issues: readonly SchemaIssue[] },
  ) {
    const issues = "issues" in cause ? cause.issues : [];
    const what = issues.length
      ? issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")
      : (cause as Error).message;
    super(`${path}${line === undefined ? "" : `:${line}`}: ${what}`, { cause });
    this.name = "NdjsonLineError";
    this.path = path;
    this.line = line;
    this.issues = issues;
  }
}
