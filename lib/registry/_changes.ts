import type { SecretBox } from "../crypto/secret_box.ts";
import type { AuditEntry, AuditFilter } from "./app_record.ts";
import { cannotRotate, parseChanges, secretAad } from "./_rows.ts";

/** One change-log entry as both backends write it (the version bump goes with it). */
export interface ChangeEntry {
  action: string;
  changes: Record<string, unknown>;
}

/** The entry of a newly added app (never the secret). */
export function addEntry(app: { name: string; description: string; status: string }): ChangeEntry {
  return { action: "add", changes: { name: app.name, description: app.description, status: app.status } };
}

/** The entry of a status change (`disable` / `enable`). */
export function statusEntry(from: unknown, to: string): ChangeEntry {
  return { action: to === "disabled" ? "disable" : "enable", changes: { status: { from, to } } };
}

/** The entry of a removal: what the app was. */
export function removeEntry(row: { name: unknown; status: unknown }): ChangeEntry {
  return { action: "remove", changes: { name: row.name, status: row.status } };
}

/** The entry of a key rotation (logged against app `*`). */
export function rotateEntry(from: string, to: string, apps: number): ChangeEntry {
  return { action: "rotate_key", changes: { key_fingerprint: { from, to }, apps } };
}

/** How many audit rows to read: the filter's limit (default 100) kept within 1..10000. */
export function auditLimit(filter: AuditFilter): number {
  return Math.max(1, Math.min(filter.limit ?? 100, 10_000));
}

/** An {@linkcode AuditEntry} from an `app_changes` row. */
export function auditEntryFromRow(r: Record<string, unknown>): AuditEntry {
  return {
    id: Number(r.id),
    appId: String(r.app_id),
    actor: String(r.actor),
    at: Number(r.at),
    action: String(r.action),
    changes: parseChanges(r.changes),
  };
}

/** A stored secret sealed again under `next`; a `cannotRotate` ConfigError when it does not open. */
export async function resealSecret(
  current: SecretBox,
  next: SecretBox,
  appId: string,
  sealed: string,
): Promise<string> {
  let plain: string;
  try {
    plain = await current.open(sealed, secretAad(appId));
  } catch {
    throw cannotRotate(appId);
  }
  return await next.seal(plain, secretAad(appId));
}
