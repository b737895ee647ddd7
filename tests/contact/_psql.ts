/**
 * A {@linkcode PgQueryClient} over the `psql` command line, for testing the
 * PostgreSQL cache store against a real server without a driver dependency:
 * parameters are inlined as quoted literals, SELECTs come back through `json_agg`.
 *
 * @module
 */
import type { PgQueryClient } from "../../lib/contact/mod.ts";

/** PostgreSQL the tests use: env `FEISHU_KIT_TEST_PG`, else the local server (trust auth). */
export const PG_URL = Deno.env.get("FEISHU_KIT_TEST_PG") ?? "postgres://postgres@127.0.0.1:5432/postgres";

function literal(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  return `'${String(v).replaceAll("'", "''")}'`;
}

async function psql(sql: string): Promise<string> {
  const out = await new Deno.Command("psql", {
    args: [PG_URL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

/** The client; `statements` counts the statements run. */
export function psqlClient(): PgQueryClient & { statements: number } {
  const client = {
    statements: 0,
    async unsafe(query: string, params: unknown[] = []) {
      client.statements++;
      const sql = query.replace(/\$(\d+)/g, (_, n) => literal(params[Number(n) - 1]));
      if (/^\s*SELECT/i.test(sql)) {
        return JSON.parse(await psql(`SELECT coalesce(json_agg(t), '[]') FROM (${sql}) t`));
      }
      await psql(sql);
      return [];
    },
  };
  return client;
}

/** Whether `psql` reaches the server (tests are ignored otherwise, unless CI is set). */
export async function psqlAvailable(): Promise<boolean> {
  try {
    await psql("SELECT 1");
    return true;
  } catch (e) {
    if (Deno.env.get("CI")) throw e;
    console.warn(`skipping PostgreSQL tests: ${(e as Error).message}`);
    return false;
  }
}

/** Drop a test schema. */
export function dropSchema(name: string): Promise<string> {
  return psql(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
}
