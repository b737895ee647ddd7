import type { Sql } from "../pg/pg_pool.ts";
import type { ChangeEntry } from "./_changes.ts";

/** A pool or a transaction: anything that runs a statement. */
export type Tx = Pick<Sql, "unsafe">;

const table = (schema: string, name: string) => `"${schema}".${name}`;

/**
 * Create the registry's tables in `schema` when missing (under an advisory lock, so two
 * processes opening a fresh schema do not race): `apps`, the append-only `app_changes`
 * (a trigger refuses UPDATE and DELETE) and `registry_meta`.
 */
export async function createRegistryTables(tx: Tx, schema: string): Promise<void> {
  const t = (name: string) => table(schema, name);
  await tx.unsafe("SELECT pg_advisory_xact_lock(hashtext('feishu_kit.schema'), hashtext($1))", [schema]);
  await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await tx.unsafe(`CREATE TABLE IF NOT EXISTS ${t("apps")} (
    app_id TEXT PRIMARY KEY, secret TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
    status TEXT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`);
  await tx.unsafe(`CREATE TABLE IF NOT EXISTS ${t("app_changes")} (
    id BIGSERIAL PRIMARY KEY, app_id TEXT NOT NULL, actor TEXT NOT NULL, at BIGINT NOT NULL,
    action TEXT NOT NULL, changes TEXT NOT NULL)`);
  await tx.unsafe(
    `CREATE TABLE IF NOT EXISTS ${t("registry_meta")} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  );
  await tx.unsafe(`CREATE OR REPLACE FUNCTION "${schema}".app_changes_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'app_changes is append-only'; END $$`);
  await tx.unsafe(`DROP TRIGGER IF EXISTS app_changes_append_only ON ${t("app_changes")}`);
  await tx.unsafe(
    `CREATE TRIGGER app_changes_append_only BEFORE UPDATE OR DELETE ON ${t("app_changes")}
    FOR EACH ROW EXECUTE FUNCTION "${schema}".app_changes_append_only()`,
  );
}

/** Append a change-log entry and bump the registry version, in the caller's transaction. */
export async function appendChange(
  tx: Tx,
  schema: string,
  appId: string,
  actor: string,
  at: number,
  { action, changes }: ChangeEntry,
): Promise<void> {
  const meta = table(schema, "registry_meta");
  await tx.unsafe(
    `INSERT INTO ${
      table(schema, "app_changes")
    } (app_id, actor, at, action, changes) VALUES ($1, $2, $3, $4, $5)`,
    [appId, actor, at, action, JSON.stringify(changes)],
  );
  await tx.unsafe(
    `INSERT INTO ${meta} (key, value) VALUES ('version', '1')
     ON CONFLICT (key) DO UPDATE SET value = ((${meta}.value)::bigint + 1)::text`,
  );
}

/** A `registry_meta` value (`undefined` when unset). */
export async function readMeta(tx: Tx, schema: string, key: string): Promise<string | undefined> {
  const rows = await tx.unsafe(`SELECT value FROM ${table(schema, "registry_meta")} WHERE key = $1`, [key]);
  return rows[0]?.value;
}

/** Set a `registry_meta` value. */
export async function writeMeta(tx: Tx, schema: string, key: string, value: string): Promise<void> {
  await tx.unsafe(
    `INSERT INTO ${
      table(schema, "registry_meta")
    } (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2`,
    [key, value],
  );
}
