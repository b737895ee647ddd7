/**
 * Child process for the kill -9 test: runs an export against the fake
 * server at `Deno.args[0]` into the run directory `Deno.args[1]`.
 *
 * @module
 */
import { ExportConfigSchema } from "../../pipelines/export/config.ts";
import { createExportContext, resolveExportAuth } from "../../pipelines/export/context.ts";
import { runExport } from "../../pipelines/export/run.ts";
import { curlFor, httpCollector, pipelineConfigInput } from "./_fake_clm.ts";

const [url, runDir, cap] = Deno.args;
const config = ExportConfigSchema.parse(pipelineConfigInput(runDir, Number(cap)));
const ctx = await createExportContext(config, await resolveExportAuth(config, curlFor(url)));
const r = await runExport({
  config,
  client: ctx.api,
  fingerprint: ctx.fingerprint,
  collector: httpCollector(url),
});
console.log(r.status);
