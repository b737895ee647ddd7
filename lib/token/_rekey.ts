import type { SecretBox } from "../crypto/secret_box.ts";

/**
 * One row of a key rotation, sealed again under `next`: `open` yields its plaintext (it
 * throws when the row does not open). A tenant/app row that does not open is dropped
 * (`undefined`: fetched again later); a user row, which cannot be fetched again, refuses
 * the whole rotation with `refuse(cause)`.
 */
export async function resealRow(
  row: { key: string; kind: unknown },
  open: () => Promise<string>,
  next: SecretBox,
  refuse: (cause: unknown) => Error,
): Promise<string | undefined> {
  let text: string;
  try {
    text = await open();
  } catch (e) {
    if (row.kind === "user") throw refuse(e);
    return undefined;
  }
  return await next.seal(text, row.key);
}

/** What a rotation reports: rows re-sealed and rows dropped. */
export function rotationCounts(plan: { sealed?: string }[]): { records: number; dropped: number } {
  const dropped = plan.filter((p) => p.sealed === undefined).length;
  return { records: plan.length - dropped, dropped };
}
