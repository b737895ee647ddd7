/**
 * The subset of PostgREST syntax the aPaaS record endpoints take
 * (docs.postgrest.org/en/v13/references/api/tables_views.html): horizontal
 * filtering `col=op.value` joined by `&`, `and=(…)` / `or=(…)` groups of
 * `col.op.value`, `not.` prefixes; operators eq, neq, gt, gte, lt, lte, like,
 * ilike, in, is; ordering `col.asc|desc[.nullsfirst|nullslast]`; vertical
 * filtering `select=a,b`.
 *
 * @module
 */

/** A record: column → value. */
export type Row = Record<string, unknown>;
/** A compiled filter. */
export type Predicate = (row: Row) => boolean;

/** A filter or order the sandbox cannot parse; `message` says where. */
export class SyntaxProblem extends Error {}

const OPS = new Set(["eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "in", "is"]);

/** Compile a `filter` parameter (undefined/empty = every row). */
export function compileFilter(filter: string | undefined, columns: ReadonlySet<string>): Predicate {
  if (!filter) return () => true;
  const parts = splitTop(filter, "&").map((p) => {
    const eq = p.indexOf("=");
    if (eq < 1) throw new SyntaxProblem(`bad condition "${p}"`);
    const key = p.slice(0, eq), rest = p.slice(eq + 1);
    if (key === "and" || key === "or") return group(key, rest, columns);
    return condition(key, rest, columns);
  });
  return (row) => parts.every((f) => f(row));
}

function group(kind: "and" | "or", body: string, columns: ReadonlySet<string>): Predicate {
  if (!body.startsWith("(") || !body.endsWith(")")) throw new SyntaxProblem(`${kind} needs (…)`);
  const items = splitTop(body.slice(1, -1), ",").map((item) => {
    const m = /^(and|or)(\(.*\))$/.exec(item);
    if (m) return group(m[1] as "and" | "or", m[2], columns);
    const dot = item.indexOf(".");
    if (dot < 1) throw new SyntaxProblem(`bad condition "${item}"`);
    return condition(item.slice(0, dot), item.slice(dot + 1), columns);
  });
  return kind === "and" ? (r) => items.every((f) => f(r)) : (r) => items.some((f) => f(r));
}

function condition(column: string, expr: string, columns: ReadonlySet<string>): Predicate {
  if (!columns.has(column)) throw new SyntaxProblem(`column "${column}" does not exist`);
  let negate = false;
  if (expr.startsWith("not.")) {
    negate = true;
    expr = expr.slice(4);
  }
  const dot = expr.indexOf(".");
  const op = dot < 0 ? expr : expr.slice(0, dot);
  const raw = dot < 0 ? "" : expr.slice(dot + 1);
  if (!OPS.has(op)) throw new SyntaxProblem(`unknown operator "${op}"`);
  const test = compare(op, raw);
  return (row) => test(row[column]) !== negate;
}

function compare(op: string, raw: string): (v: unknown) => boolean {
  switch (op) {
    case "is":
      if (raw === "null") return (v) => v === null || v === undefined;
      if (raw === "true" || raw === "false") return (v) => v === (raw === "true");
      throw new SyntaxProblem(`is.${raw} is not supported`);
    case "in": {
      if (!raw.startsWith("(") || !raw.endsWith(")")) throw new SyntaxProblem("in needs (…)");
      const set = splitTop(raw.slice(1, -1), ",").map(unquote);
      return (v) => v !== null && v !== undefined && set.includes(String(v));
    }
    case "like":
    case "ilike": {
      const flags = op === "ilike" ? "i" : "";
      const re = new RegExp(
        `^${unquote(raw).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/[*%]/g, ".*")}$`,
        flags,
      );
      return (v) => typeof v === "string" && re.test(v);
    }
    default: {
      const want = unquote(raw);
      return (v) => {
        if (v === null || v === undefined) return false;
        const c = cmp(v, want);
        return op === "eq"
          ? c === 0
          : op === "neq"
          ? c !== 0
          : op === "gt"
          ? c > 0
          : op === "gte"
          ? c >= 0
          : op === "lt"
          ? c < 0
          : c <= 0;
      };
    }
  }
}

function cmp(v: unknown, want: string): number {
  if (typeof v === "number") {
    const n = Number(want);
    return Number.isNaN(n) ? String(v).localeCompare(want) : v - n;
  }
  if (typeof v === "boolean") return String(v) === want ? 0 : 1;
  const s = String(v);
  return s < want ? -1 : s > want ? 1 : 0;
}

/** Sort rows by an `order` parameter (in place). */
export function applyOrder(rows: Row[], order: string | undefined, columns: ReadonlySet<string>): void {
  if (!order) return;
  const keys = order.split(",").map((part) => {
    const [column, ...mods] = part.split(".");
    if (!columns.has(column)) throw new SyntaxProblem(`column "${column}" does not exist`);
    for (const m of mods) {
      if (!["asc", "desc", "nullsfirst", "nullslast"].includes(m)) {
        throw new SyntaxProblem(`bad order "${part}"`);
      }
    }
    return { column, desc: mods.includes("desc"), nullsFirst: mods.includes("nullsfirst") };
  });
  rows.sort((a, b) => {
    for (const k of keys) {
      const x = a[k.column], y = b[k.column];
      const xn = x === null || x === undefined, yn = y === null || y === undefined;
      if (xn || yn) {
        if (xn && yn) continue;
        return (xn ? -1 : 1) * (k.nullsFirst ? 1 : -1);
      }
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
}

/** Keep the `select` columns (`*` or empty = all). */
export function applySelect(row: Row, select: string | undefined, columns: ReadonlySet<string>): Row {
  if (!select || select === "*") return row;
  const out: Row = {};
  for (const c of select.split(",").map((s) => s.trim())) {
    if (!columns.has(c)) throw new SyntaxProblem(`column "${c}" does not exist`);
    out[c] = row[c] ?? null;
  }
  return out;
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

/** Split on `sep` outside parentheses and double quotes. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0, quoted = false, start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === "(") depth++;
    else if (!quoted && ch === ")") depth--;
    else if (!quoted && depth === 0 && ch === sep) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.filter((p) => p !== "");
}
