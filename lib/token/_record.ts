import type { TokenRecord } from "./token_store.ts";

const KINDS = new Set(["tenant", "app", "user"]);
const STATUSES = new Set(["active", "set_aside"]);

/**
 * Parse and validate a stored record. Returns the record, or a string saying
 * what is wrong (never the token itself) so the caller can log it.
 */
export function parseTokenRecord(text: unknown, key: string): TokenRecord | string {
  if (typeof text !== "string") return "data is not text";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "data is not valid JSON";
  }
  return validateTokenRecord(value, key);
}

/** Check the shape of a record; see {@linkcode parseTokenRecord}. */
export function validateTokenRecord(value: unknown, key: string): TokenRecord | string {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "data is not an object";
  const r = value as Record<string, unknown>;
  if (r.key !== key) return "key field does not match the row key";
  if (typeof r.kind !== "string" || !KINDS.has(r.kind)) return "kind missing or unknown";
  if (typeof r.appId !== "string" || r.appId === "") return "appId missing";
  if (r.kind === "user" && (typeof r.userId !== "string" || r.userId === "")) return "userId missing";
  if (typeof r.accessToken !== "string") return "accessToken missing";
  if (r.kind !== "user" && r.accessToken === "") return "accessToken empty";
  for (const f of ["expiresAt", "issuedAt", "updatedAt"]) {
    if (!Number.isFinite(r[f])) return `${f} missing or not a number`;
  }
  if (r.refreshToken !== undefined && typeof r.refreshToken !== "string") return "refreshToken not text";
  if (r.refreshExpiresAt !== undefined && !Number.isFinite(r.refreshExpiresAt)) {
    return "refreshExpiresAt not a number";
  }
  if (r.scope !== undefined && typeof r.scope !== "string") return "scope not text";
  if (r.status !== undefined && (typeof r.status !== "string" || !STATUSES.has(r.status))) {
    return "status unknown";
  }
  return r as unknown as TokenRecord;
}
