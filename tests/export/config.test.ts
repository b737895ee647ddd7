import assert from "node:assert/strict";
import { loadConfig } from "../../lib/config/load_config.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { ExportConfigSchema } from "../../pipelines/export/config.ts";

Deno.test("config: the example file documents every key and loads without warnings", async () => {
  const { config, warnings } = await loadConfig(ExportConfigSchema, {
    file: "config/export.example.yaml",
    getEnv: () => undefined,
  });
  assert.deepEqual(warnings, []);
  assert.equal(config.plan.row_cap, 1000);
  assert.equal(config.output.file_template, "合同协同_{start:YYYYMMDD}-{end:YYYYMMDD}.xlsx");
  assert.equal(config.messenger.bot_chat_name, "飞书合同");
  const text = await Deno.readTextFile("config/export.example.yaml");
  const keys = (o: object, p = ""): string[] =>
    Object.entries(o).flatMap(([k, v]) =>
      v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length
        ? keys(v, `${p}${k}.`)
        : [`${p}${k}`]
    );
  const full = ExportConfigSchema.parse({ filters: { keyword: "", searchTabEnumCode: 0 } });
  for (const k of keys(full)) {
    const leaf = k.split(".").pop()!;
    assert.match(text, new RegExp(`^\\s*#?\\s*${leaf}:`, "m"), `example documents ${k}`);
  }
  await assert.rejects(
    loadConfig(ExportConfigSchema, { overrides: { "plan.cap_threshold": 1200 } }),
    (e) => e instanceof ConfigError && /cap_threshold/.test(e.hint),
  );
  await assert.rejects(
    loadConfig(ExportConfigSchema, { overrides: { "output.file_template": "{foo}.xlsx" } }),
    (e) => e instanceof ConfigError && /占位符/.test(e.hint),
  );
});
