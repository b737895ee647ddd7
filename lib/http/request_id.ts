let counter = 0;
const prefix = crypto.randomUUID().slice(0, 8);

/**
 * A new id for one logical call (all its attempts share it), sent as
 * `Oapi-Sdk-Request-Id` like the official SDKs and written to every log line.
 */
export function newRequestId(): string {
  counter = (counter + 1) % 1_000_000_000;
  return `fk-${prefix}-${counter.toString(36)}`;
}
