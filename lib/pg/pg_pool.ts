/** PostgreSQL connection helpers shared by the token store and the app registry. */
import postgres from "postgres";
import { ConfigError } from "../errors/config_error.ts";

/** A postgres.js connection pool. */
export type Sql = postgres.Sql;
/** A connection reserved from a pool. */
export type ReservedSql = postgres.ReservedSql;

/** Where a store keeps its tables in PostgreSQL. */
export interface PgTarget {
  /** Connection URL without our own `schema` parameter. */
  url: string;
  /** Schema holding the tables (validated identifier). */
  schema: string;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Default schema of feishu-kit's tables. */
export const DEFAULT_PG_SCHEMA = "feishu_kit";

/**
 * Split `postgres://user@host:port/db?schema=name` into the URL postgres.js gets and the
 * schema (default `feishu_kit`). A schema that is not a plain lower-case identifier is a
 * {@linkcode ConfigError}.
 */
export function parsePgUrl(url: string, schema?: string): PgTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`invalid PostgreSQL URL`, {
      hint: "PostgreSQL 地址无效：应形如 postgres://用户名@主机:5432/数据库名（可加 ?schema=模式名）。",
    });
  }
  const fromUrl = u.searchParams.get("schema") ?? undefined;
  u.searchParams.delete("schema");
  const name = schema ?? fromUrl ?? DEFAULT_PG_SCHEMA;
  if (!IDENT.test(name)) {
    throw new ConfigError(`invalid PostgreSQL schema name: ${name}`, {
      hint: `PostgreSQL 模式名「${name}」无效：只能用小写字母、数字和下划线，且不以数字开头。`,
    });
  }
  return { url: u.toString(), schema: name };
}

/** Open a small pool: notices silenced, short connect timeout, idle connections closed. */
export function openPool(url: string, max: number, connectTimeoutSec: number): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    connect_timeout: connectTimeoutSec,
    idle_timeout: 30,
    max_lifetime: 60 * 30,
  });
}

/** Whether `e` is an error answered by the PostgreSQL server (as opposed to a connection failure). */
export function isServerError(e: unknown): boolean {
  return e instanceof postgres.PostgresError;
}
