import { ParamError } from "../errors/param_error.ts";
import { checkName } from "./_validate.ts";

/** A value a condition compares with. */
export type ApaasFilterValue = string | number | boolean | null;

/**
 * A condition of an aPaaS record query, written in the PostgREST syntax the
 * workspace-table endpoints take (docs.postgrest.org, "horizontal filtering"):
 * build with {@linkcode apaasWhere}, pass to `query`, `update` or `delete`.
 */
export class ApaasRecordFilter {
  readonly #inner: string;
  readonly #top: string;

  private constructor(inner: string, top: string) {
    this.#inner = inner;
    this.#top = top;
  }

  /** @internal One `col.op.value` condition. */
  static condition(column: string, op: string, value: string): ApaasRecordFilter {
    checkName("filter.column", column);
    return new ApaasRecordFilter(`${column}.${op}.${value}`, `${column}=${op}.${value}`);
  }

  /** @internal An `and(…)` / `or(…)` group. */
  static group(kind: "and" | "or", parts: ApaasRecordFilter[]): ApaasRecordFilter {
    if (parts.length === 0) throw new ParamError("filter", `${kind} 至少需要一个条件`);
    if (parts.length === 1) return parts[0];
    const body = parts.map((p) => p.#inner).join(",");
    return new ApaasRecordFilter(`${kind}(${body})`, `${kind}=(${body})`);
  }

  /** The negation of a single condition. */
  not(): ApaasRecordFilter {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\.(.*)$/.exec(this.#inner);
    if (!m || /^(and|or)$/.test(m[1])) throw new ParamError("filter", "not 只能用于单个条件");
    return new ApaasRecordFilter(`${m[1]}.not.${m[2]}`, `${m[1]}=not.${m[2]}`);
  }

  /** The `filter` query value, e.g. `age=gt.30` or `and=(age.gt.30,city.eq.北京)`. */
  toString(): string {
    return this.#top;
  }
}

function literal(field: string, v: ApaasFilterValue): string {
  if (v === null) return "null";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new ParamError(field, "数值必须是有限数");
    return String(v);
  }
  if (typeof v === "boolean") return String(v);
  if (typeof v !== "string") throw new ParamError(field, "只能是字符串、数值、布尔值或 null");
  // Reserved characters of the PostgREST syntax need double quotes.
  return /[,.:()"\\\s]/.test(v) ? `"${v.replace(/["\\]/g, "\\$&")}"` : v;
}

/**
 * Condition builders.
 *
 * @example
 * ```ts
 * const f = apaasWhere.and(apaasWhere.gt("age", 30), apaasWhere.in("city", ["北京", "上海"]));
 * String(f); // "and=(age.gt.30,city.in.(北京,上海))"
 * ```
 */
export const apaasWhere = {
  /** `column = value`. */
  eq: (column: string, value: ApaasFilterValue) =>
    ApaasRecordFilter.condition(column, "eq", literal(column, value)),
  /** `column <> value`. */
  neq: (column: string, value: ApaasFilterValue) =>
    ApaasRecordFilter.condition(column, "neq", literal(column, value)),
  /** `column > value`. */
  gt: (column: string, value: number | string) =>
    ApaasRecordFilter.condition(column, "gt", literal(column, value)),
  /** `column >= value`. */
  gte: (column: string, value: number | string) =>
    ApaasRecordFilter.condition(column, "gte", literal(column, value)),
  /** `column < value`. */
  lt: (column: string, value: number | string) =>
    ApaasRecordFilter.condition(column, "lt", literal(column, value)),
  /** `column <= value`. */
  lte: (column: string, value: number | string) =>
    ApaasRecordFilter.condition(column, "lte", literal(column, value)),
  /** `column LIKE pattern` (`*` or `%` = any characters). */
  like: (column: string, pattern: string) =>
    ApaasRecordFilter.condition(column, "like", literal(column, pattern)),
  /** Case-insensitive `like`. */
  ilike: (column: string, pattern: string) =>
    ApaasRecordFilter.condition(column, "ilike", literal(column, pattern)),
  /** `column IN (values)`. */
  in: (column: string, values: readonly ApaasFilterValue[]) => {
    if (values.length === 0) throw new ParamError(column, "in 至少需要一个值");
    return ApaasRecordFilter.condition(column, "in", `(${values.map((v) => literal(column, v)).join(",")})`);
  },
  /** `column IS NULL`. */
  isNull: (column: string) => ApaasRecordFilter.condition(column, "is", "null"),
  /** Every condition. */
  and: (...parts: ApaasRecordFilter[]) => ApaasRecordFilter.group("and", parts),
  /** Any condition. */
  or: (...parts: ApaasRecordFilter[]) => ApaasRecordFilter.group("or", parts),
};

/** One sort key: a column, ascending unless `desc`. */
export interface ApaasOrderBy {
  /** Column. */
  column: string;
  /** Descending. */
  desc?: boolean;
  /** Where nulls go (default: PostgREST's). */
  nulls?: "first" | "last";
}

/** The `order` query value, e.g. `age.desc,name.asc`. */
export function orderParam(order: readonly ApaasOrderBy[]): string {
  return order.map((o, i) => {
    checkName(`order[${i}].column`, o.column);
    return `${o.column}.${o.desc ? "desc" : "asc"}${o.nulls ? `.nulls${o.nulls}` : ""}`;
  }).join(",");
}
