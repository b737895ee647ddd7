/** Dotted paths of keys in `data` that `schema` does not declare (objects only, recursively). */
export function unknownKeys(schema: unknown, data: unknown, prefix = ""): string[] {
  const shape = objectShape(schema);
  if (!shape || !data || typeof data !== "object" || Array.isArray(data)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const child = shape[k];
    if (!child) out.push(path);
    else out.push(...unknownKeys(child, v, path));
  }
  return out;
}

function objectShape(schema: unknown): Record<string, unknown> | undefined {
  // Unwrap optional/default/nullable wrappers to reach an object's shape.
  let s: unknown = schema;
  for (let i = 0; i < 10 && s; i++) {
    const def = (s as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return undefined;
    if (def.type === "object") return def.shape as Record<string, unknown>;
    s = def.innerType ?? def.in;
  }
  return undefined;
}
