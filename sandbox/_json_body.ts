import type { SandboxContext } from "./_env.ts";

/**
 * The request body as a JSON object, or `undefined` when it is not valid
 * JSON or not an object (`null`, an array, a number …): each route answers
 * that with its family's documented parameter error, never a 500.
 */
export async function jsonObject(c: SandboxContext): Promise<Record<string, unknown> | undefined> {
  try {
    const v = JSON.parse(await c.req.text());
    return v && typeof v === "object" && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
