import postgres from "postgres";

/** PostgreSQL the tests use: env `FEISHU_KIT_TEST_PG`, else the local server (trust auth). */
export const PG_TEST_URL = Deno.env.get("FEISHU_KIT_TEST_PG") ??
  "postgres://postgres@127.0.0.1:5432/postgres";

/** Whether PostgreSQL tests run; see {@linkcode postgresForTests}. */
export interface PostgresTestAvailability {
  /** True when PostgreSQL is unreachable outside CI: pass as `ignore` to `Deno.test`. */
  ignore: boolean;
}

/**
 * Probe the test PostgreSQL once (top-level `await` in a test file). Unreachable outside CI:
 * prints why and returns `ignore: true`. Unreachable with env `CI` set: throws, so the test
 * file fails loudly instead of skipping.
 */
export async function postgresForTests(url = PG_TEST_URL): Promise<PostgresTestAvailability> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return { ignore: false };
  } catch (e) {
    const why = `PostgreSQL at ${url.replace(/\/\/[^@/]*@/, "//***@")} unreachable: ${(e as Error).message}`;
    if (Deno.env.get("CI")) throw new Error(`${why} (CI is set: PostgreSQL tests must run)`);
    console.warn(`skipping PostgreSQL tests: ${why}`);
    return { ignore: true };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** A schema of its own for one test run; {@linkcode TestSchema.drop} removes it and everything in it. */
export interface TestSchema {
  /** Schema name (`fk_test_<random>`). */
  name: string;
  /** The connection URL with `?schema=<name>`. */
  url: string;
  /** Drop the schema (cascade). */
  drop(): Promise<void>;
}

/** A fresh, randomly named schema name and URL (created by the store on first use). */
export function testSchema(url = PG_TEST_URL): TestSchema {
  const name = `fk_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const u = new URL(url);
  u.searchParams.set("schema", name);
  return {
    name,
    url: u.toString(),
    async drop() {
      const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  };
}
