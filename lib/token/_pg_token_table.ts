import type { SecretBox } from "../crypto/secret_box.ts";
import type { Logger } from "../log/logger.ts";
import type { Sql } from "../pg/pg_pool.ts";
import { parseTokenRecord } from "./_record.ts";
import { wrongKeyError } from "./_pg_store_errors.ts";
import type { TokenRecord } from "./token_store.ts";

/** A row of `<schema>.tokens` as the store reads it. */
export interface TokenRow {
  key: string;
  kind: string;
  key_fp: string;
  data: string;
}

/** Create `<schema>.tokens` when missing (serialized: two processes would race on the catalog). */
export async function createTokenTable(
  tx: Pick<Sql, "unsafe">,
  schema: string,
  table: string,
): Promise<void> {
  await tx.unsafe("SELECT pg_advisory_xact_lock(hashtext('feishu_kit.schema'), hashtext($1))", [schema]);
  await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await tx.unsafe(`CREATE TABLE IF NOT EXISTS ${table} (
    key TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    key_fp TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at BIGINT NOT NULL
  )`);
  await tx.unsafe(`CREATE INDEX IF NOT EXISTS tokens_app_kind ON ${table} (app_id, kind)`);
}

/** What a row holds: a record, a miss (another key's tenant/app row), or a corrupt row to delete. */
export type DecodedRow = { record: TokenRecord } | { miss: true } | { corrupt: string };

/**
 * Decode a row. A row sealed with another key is a miss (WARN) for a tenant/app token and a
 * `ConfigError` (ERROR) for a user token; a ciphertext that does not open or a record that
 * does not parse is `corrupt` (the caller deletes it).
 */
export async function decodeTokenRow(row: TokenRow, box: SecretBox, log: Logger): Promise<DecodedRow> {
  if (row.key_fp !== box.fingerprint) {
    if (row.kind === "user") {
      log.error("token_store.wrong_key", { key: row.key, stored_fingerprint: row.key_fp });
      throw wrongKeyError(row.key, row.key_fp, box.fingerprint);
    }
    log.warn("token_store.wrong_key", {
      key: row.key,
      stored_fingerprint: row.key_fp,
      action: "用另一把密钥加密：视为缓存未命中，用 App Secret 重新获取",
    });
    return { miss: true };
  }
  let text: string;
  try {
    text = await box.open(row.data, row.key);
  } catch {
    return { corrupt: "ciphertext does not authenticate" };
  }
  const r = parseTokenRecord(text, row.key);
  return typeof r === "string" ? { corrupt: r } : { record: r };
}
