import { maskDeep } from "../log/mask.ts";

/** Flatten a config into `key: value` lines with every secret masked. */
export function configSummary(config: unknown, prefix = ""): string[] {
  const masked = maskDeep(config);
  const out: string[] = [];
  const walk = (v: unknown, p: string) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      for (const [k, c] of Object.entries(v as Record<string, unknown>)) walk(c, p ? `${p}.${k}` : k);
    } else out.push(`  ${p}: ${Array.isArray(v) ? JSON.stringify(v) : String(v)}`);
  };
  walk(masked, prefix);
  return out;
}
