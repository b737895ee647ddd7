/**
 * Control endpoints of the Base family (not journaled, not faulted):
 * - `POST /__sandbox/bitable/tables {app_token, table_id, fields[]}` creates (or empties) a table;
 * - `GET /__sandbox/bitable/tables` lists tables with their record counts;
 * - `POST /__sandbox/bitable/writes {conflicts?, hold_ms?}` injects write conflicts (1254291) and sets how
 *   long each write holds its table.
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { CONTROL_PREFIX } from "../_middleware.ts";
import type { BitableFamily } from "./store.ts";

function bad(c: SandboxContext, message: string): Response {
  return c.json({ ok: false, error: message }, 400);
}

/** Register the Base control endpoints. */
export function registerBitableControlRoutes(app: SandboxApp, base: BitableFamily): void {
  app.post(`${CONTROL_PREFIX}/bitable/tables`, async (c) => {
    const body = await c.req.json().catch(() => undefined) as Record<string, unknown> | undefined;
    const { app_token: appToken, table_id: tableId, fields } = body ?? {};
    if (typeof appToken !== "string" || !/^[A-Za-z0-9]+$/.test(appToken)) return bad(c, "app_token 无效");
    if (typeof tableId !== "string" || !/^tbl[A-Za-z0-9]+$/.test(tableId)) {
      return bad(c, "table_id 应以 tbl 开头");
    }
    if (
      !Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === "string" && f !== "")
    ) {
      return bad(c, "fields 应为非空的字段名数组");
    }
    base.createTable(appToken, tableId, fields);
    return c.json({ ok: true });
  });
  app.get(`${CONTROL_PREFIX}/bitable/tables`, (c) =>
    c.json({
      ok: true,
      tables: [...base.tables].map(([key, t]) => ({ key, fields: [...t.fields], records: t.records.size })),
    }));
  app.post(`${CONTROL_PREFIX}/bitable/writes`, async (c) => {
    const body = await c.req.json().catch(() => ({})) as { conflicts?: unknown; hold_ms?: unknown };
    if (body.conflicts !== undefined) {
      if (!Number.isInteger(body.conflicts) || (body.conflicts as number) < 0) {
        return bad(c, "conflicts 应为非负整数");
      }
      base.injectConflicts(body.conflicts as number);
    }
    if (body.hold_ms !== undefined) {
      if (typeof body.hold_ms !== "number" || body.hold_ms < 0 || body.hold_ms > 10_000) {
        return bad(c, "hold_ms 应为 0–10000");
      }
      base.writeHoldMs = body.hold_ms;
    }
    return c.json({ ok: true, hold_ms: base.writeHoldMs, conflicts_answered: base.conflictsAnswered });
  });
}
