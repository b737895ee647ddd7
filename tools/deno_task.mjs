// `npm run demo` / `npm test` → `deno task <name>` with the Deno that `npm install` put in
// node_modules/.bin (npm puts that folder on PATH for its scripts).
//
// On Linux x64 it first installs tools/chromium (the npm package @sparticuz/chromium: a headless
// Chromium that lib/browser falls back to when no browser is installed). It lives in its own
// folder so Deno does not see it as a project dependency (Deno would download a second copy of
// the 67 MB package into its cache), and other platforms, which have Edge/Chrome, never fetch it.
//
// Deno checks TLS certificates against its own bundled root store only; npm and the operating
// system also trust the machine's store. On networks whose proxy inspects TLS with a company CA
// (installed in the system store), Deno's first npm download would then fail with "invalid peer
// certificate: UnknownIssuer". So Deno is told to trust both (unless the user chose otherwise).
import { spawnSync } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";

if (process.platform === "linux" && process.arch === "x64") {
  const dir = fileURLToPath(new URL("./chromium/", import.meta.url));
  // Run in the folder rather than with --prefix: --prefix also moves npm's global config
  // ({prefix}/etc/npmrc), which may hold the machine's registry and CA settings.
  const npm = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    stdio: "inherit",
  });
  if (npm.status !== 0) {
    console.error(
      "警告：未能安装 tools/chromium（无头 Chromium）；若本机没有浏览器，导出与相关测试会提示找不到浏览器。",
    );
  }
}

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
