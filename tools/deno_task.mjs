// `npm run demo` / `npm test` → `deno task <name>` with the Deno that `npm install` put in
// node_modules/.bin (npm puts that folder on PATH for its scripts).
//
// Deno checks TLS certificates against its own bundled root store only; npm and the operating
// system also trust the machine's store. On networks whose proxy inspects TLS with a company CA
// (installed in the system store), Deno's first npm download would then fail with "invalid peer
// certificate: UnknownIssuer". So Deno is told to trust both (unless the user chose otherwise).
import { spawnSync } from "node:child_process";
import process from "node:process";

const env = { ...process.env, DENO_TLS_CA_STORE: process.env.DENO_TLS_CA_STORE || "mozilla,system" };
const run = spawnSync("deno", ["task", ...process.argv.slice(2)], {
  stdio: "inherit",
  env,
  shell: process.platform === "win32", // deno.cmd on Windows
});
if (run.error) {
  console.error(`无法运行 deno（${run.error.message}）：请先在项目目录运行 npm install。`);
  process.exit(1);
}
process.exit(run.status ?? 1);
