/**
 * A validating schema, as the config loader and the NDJSON reader and writer
 * use one. Every zod schema is one (`z.object({...})`), and so is any object
 * with these two methods; the library's public signatures name this type
 * rather than zod's own, so its documentation stands on its own.
 *
 * @example A zod schema is a Schema
 * ```ts
 * import { z } from "zod";
 * import type { Schema } from "./schema.ts";
 *
 * const Step: Schema<{ n: number }> = z.object({ n: z.number() });
 * const ok = Step.safeParse({ n: 1 }); // { success: true, data: { n: 1 } }
 * ```
 */
export interface Schema<T> {
  /** The input as `T`, or throws an error listing the issues. */
  parse(input: unknown): T;
  /**
   * The input as `T`, or the issues found; `reportInput: true` asks for each
   * issue's offending `input` (left out by default).
   */
  safeParse(input: unknown, params?: { reportInput?: boolean }): SchemaResult<T>;
}

/** The outcome of {@linkcode Schema.safeParse}. */
export type SchemaResult<T> =
  | { success: true; data: T }
  | { success: false; error: { issues: readonly SchemaIssue[] } };

/** One problem a schema found in a value. */
export interface SchemaIssue {
  /** Kind of problem (zod's issue codes: `invalid_type`, `too_small`, `custom`, …). */
  readonly code: string;
  /** Where in the value: keys and indexes from the root (empty for the root). */
  readonly path: readonly PropertyKey[];
  /** The schema's own (English) description of the problem. */
  readonly message: string;
  /** The offending value, when asked for with `reportInput`. */
  readonly input?: unknown;
}

/**
 * `true` when schema `S` yields exactly `T` (each assignable to the other),
 * else `false`: a compile-time check that keeps a hand-written interface in
 * step with its schema.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import type { SchemaYields } from "./schema.ts";
 *
 * interface Step { n: number }
 * const schema = z.object({ n: z.number() });
 * const _exact: SchemaYields<typeof schema, Step> = true; // a type error once they differ
 * ```
 */
export type SchemaYields<S, T> = [SchemaOutput<S>] extends [T]
  ? ([T] extends [SchemaOutput<S>] ? true : false)
  : false;

/** The type schema `S` yields (for a union of schemas, the union of their types). */
export type SchemaOutput<S> = S extends Schema<infer T> ? T : never;
