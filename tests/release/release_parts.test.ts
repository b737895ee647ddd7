import assert from "node:assert/strict";
import { isRuntimeDownloadFailure, rootCause } from "../../scripts/_release/compile.ts";
import { main } from "../../scripts/release.ts";
import { renderCmd, renderSh } from "../../scripts/_release/launchers.ts";
import { ntfsProblems } from "../../scripts/_release/ntfs_names.ts";
import { renderPackageReadme } from "../../scripts/_release/package_readme.ts";
import { adaptFlags, USER_DIR } from "../../scripts/_release/permissions.ts";
import { SHIPPED_CONFIG } from "../../scripts/_release/portable.ts";
import { runtimeModules, sourceFiles } from "../../scripts/_release/runtime_modules.ts";
import { RELEASE_TARGETS, selectTargets } from "../../scripts/_release/targets.ts";
import {
  EXTRA_LAUNCHERS,
  parseJsonc,
  presentTools,
  RELEASE_TOOLS,
  taskRunFlags,
} from "../../scripts/_release/tools.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const TASKS = parseJsonc(await Deno.readTextFile(`${ROOT}/deno.json`)).tasks as Record<string, unknown>;

// The error deno compile printed on this machine, where dl.deno.land cannot be resolved.
const COMPILE_OFFLINE = `Check a.ts
Compile a.ts to a.exe
Download https://dl.deno.land/release/v2.9.6/denort-x86_64-pc-windows-msvc.zip
error: Writing deno compile executable to temporary file 'a.exe.tmp-bc6a7442a25d4884'

Caused by:
    0: Setting up base binary.
    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x86_64-pc-windows-msvc.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known
    2: client error (Connect)
    3: dns error`;

Deno.test("compile: a runtime download failure is told apart from an error in the code", () => {
  assert.equal(isRuntimeDownloadFailure(COMPILE_OFFLINE), true);
  assert.match(rootCause(COMPILE_OFFLINE), /^error sending request .*dns error/);
  const codeError =
    `error: Module not found "file:///repo/scripts/nope.ts".\n    at file:///repo/scripts/chatid.ts:3:8`;
  assert.equal(isRuntimeDownloadFailure(codeError), false);
  assert.equal(rootCause(codeError), `error: Module not found "file:///repo/scripts/nope.ts".`);
});

Deno.test("tools: every release entry point runs under its deno.json task, one list picks up attachments", () => {
  const files = new Set(["scripts/chatid.ts", "scripts/export.ts", "scripts/export_verify.ts"]);
  const some = presentTools("/r", (p) => files.has(p.slice(3)));
  assert.deepEqual(some.map((t) => t.binary), ["feishu-chatid", "feishu-export"]);
  assert.deepEqual(some[1].launchers.map((l) => l.name), ["feishu-export", "feishu-export-verify"]);
  files.add("scripts/attachments.ts");
  assert.ok(presentTools("/r", (p) => files.has(p.slice(3))).some((t) => t.binary === "feishu-attachments"));
  // Every launcher whose script exists in this checkout has a `deno run … <script>` task.
  for (const l of [...RELEASE_TOOLS.flatMap((t) => t.launchers), ...EXTRA_LAUNCHERS]) {
    let exists = true;
    try {
      Deno.statSync(`${ROOT}/${l.script}`);
    } catch {
      exists = false;
    }
    if (!exists) continue;
    const flags = taskRunFlags(TASKS, l.task, l.script);
    assert.ok(flags.every((f) => f.startsWith("--")), `${l.task}: ${flags.join(" ")}`);
  }
  assert.throws(() => taskRunFlags({ x: "deno run -A other.ts" }, "x", "scripts/x.ts"), /不是「deno run/);
  assert.throws(() => taskRunFlags({}, "missing", "scripts/x.ts"), /没有任务 missing/);
});

Deno.test("parseJsonc: comments, // inside strings, trailing commas", () => {
  const v = parseJsonc(`{
    // a comment
    "a": "http://x/y", /* block */
    "b": [1, 2,],
    "c": "say \\"hi\\" // not a comment",
  }`);
  assert.deepEqual(v, { a: "http://x/y", b: [1, 2], c: 'say "hi" // not a comment' });
});

Deno.test("adaptFlags: user folder added to narrowed writes, env names added, foreign run paths dropped", () => {
  const task = [
    "--allow-net=open.feishu.cn",
    "--allow-read",
    "--allow-write=.",
    "--allow-env=FEISHU_APP_ID",
    "--allow-run=/usr/bin/chromium",
  ];
  const win = adaptFlags(task, { os: "windows", mode: "launcher" });
  assert.equal(win[2], `--allow-write=.,${USER_DIR}`);
  assert.ok(win[3].startsWith("--allow-env=FEISHU_APP_ID,FEISHU_KIT_DIRS,APPDATA,LOCALAPPDATA"));
  assert.equal(win[4], "--allow-run"); // /usr/bin/chromium does not exist on Windows
  assert.deepEqual(win.slice(0, 2), task.slice(0, 2));
  const linux = adaptFlags(task, { os: "linux", mode: "launcher" });
  assert.equal(linux[4], "--allow-run=/usr/bin/chromium");
  const compiled = adaptFlags(["--allow-write=.", "--allow-run=msedge.exe"], {
    os: "windows",
    mode: "compile",
  });
  assert.deepEqual(compiled, ["--allow-write", "--allow-run=msedge.exe,chcp.com"]);
  assert.deepEqual(adaptFlags(["--allow-read"], { os: "windows", mode: "compile" }), [
    "--allow-read",
    "--allow-run=chcp.com",
  ]);
  assert.deepEqual(adaptFlags(["--allow-read"], { os: "linux", mode: "compile" }), ["--allow-read"]);
  assert.equal(
    adaptFlags(["--allow-run=C:\\x\\a.exe"], { os: "darwin", mode: "launcher" })[0],
    "--allow-run",
  );
  assert.deepEqual(adaptFlags(["--allow-env", "--allow-write"], { os: "windows", mode: "launcher" }), [
    "--allow-env",
    "--allow-write",
  ]);
});

Deno.test("renderCmd: ASCII only, CRLF, UTF-8 console, own folder, quoted paths with spaces", () => {
  const cmd = renderCmd({
    name: "feishu-chatid",
    script: "scripts/chatid.ts",
    flags: [`--allow-write=.,${USER_DIR}`, "--allow-env=A%B"],
    denoExe: "deno.exe",
  });
  assert.ok([...cmd].every((c) => c.charCodeAt(0) < 128), "ASCII only");
  assert.equal(cmd.split("\r\n").every((l) => !l.includes("\n")), true);
  assert.match(cmd, /^chcp 65001 >nul\r$/m);
  assert.match(cmd, /^pushd "%~dp0"\r$/m);
  assert.match(cmd, /^set "FEISHU_KIT_DIRS=user"\r$/m);
  assert.ok(cmd.includes(`"--allow-write=.,%LOCALAPPDATA%\\feishu-kit"`));
  assert.ok(cmd.includes(`"--allow-env=A%%B"`)); // a literal % survives cmd's expansion
  assert.ok(
    cmd.includes(`"%~dp0deno\\deno.exe" run --quiet --cached-only --frozen "--config=%~dp0app\\deno.json"`),
  );
  assert.ok(cmd.includes(`"%~dp0app\\scripts\\chatid.ts" %*`));
  assert.match(cmd, /exit \/b %FEISHU_KIT_EXIT%\r\n$/);
});

Deno.test("renderSh: per-user state folder per platform, arguments quoted and escaped", () => {
  const spec = {
    name: "feishu-chatid",
    script: "scripts/chatid.ts",
    flags: [`--allow-write=.,${USER_DIR}`, '--x=a"$b'],
    denoExe: "deno",
  };
  const linux = renderSh(spec, "linux");
  assert.ok(linux.startsWith("#!/bin/sh\n"));
  assert.ok(linux.includes(`"--allow-write=.,$state_base/feishu-kit"`));
  assert.ok(linux.includes(`"--x=a\\"\\$b"`));
  assert.ok(
    linux.includes(
      `exec "$here/deno/deno" run --quiet --cached-only --frozen "--config=$here/app/deno.json"`,
    ),
  );
  assert.ok(linux.trimEnd().endsWith(`"$here/app/scripts/chatid.ts" "$@"`));
  const mac = renderSh(spec, "darwin");
  assert.ok(mac.includes(`"--allow-write=.,$HOME/Library/Application Support/feishu-kit"`));
  assert.equal(mac.includes("state_base"), false);
});

Deno.test("ntfsProblems: illegal characters, reserved names, trailing dots, case collisions", () => {
  const problems = ntfsProblems([
    "app/lib/ok.ts",
    "deno_dir/npm/a/aux.js",
    "deno_dir/npm/a/b:c.js",
    "deno_dir/npm/a/x.",
    "deno_dir/npm/a/README.md",
    "deno_dir/npm/a/readme.md",
    "deno_dir/npm/a/auxiliary.js",
    "app/文档 一.txt",
  ]);
  assert.deepEqual(problems.map((p) => p.path), [
    "deno_dir/npm/a/aux.js",
    "deno_dir/npm/a/b:c.js",
    "deno_dir/npm/a/x.",
    "deno_dir/npm/a/readme.md",
  ]);
});

Deno.test("runtimeModules: the export merge worker and the SDK loaded by a string specifier are found", async () => {
  const mods = await runtimeModules(ROOT, await sourceFiles(ROOT, ["lib", "pipelines", "scripts"]));
  assert.ok(mods.includes("pipelines/export/merge_worker.ts"), mods.join(" "));
  assert.ok(mods.some((m) => m.startsWith("npm:@larksuiteoapi/node-sdk@")), mods.join(" "));
  assert.equal(mods.some((m) => m.endsWith("/x.ts")), false); // examples in comments are not modules
});

Deno.test("targets and package contents: three platforms, examples only from config/, read-me per platform", () => {
  assert.deepEqual(RELEASE_TARGETS.map((t) => t.triple), [
    "x86_64-pc-windows-msvc",
    "x86_64-unknown-linux-gnu",
    "aarch64-apple-darwin",
  ]);
  assert.deepEqual(selectTargets("linux-x64,aarch64-apple-darwin").map((t) => t.label), [
    "linux-x64",
    "macos-arm64",
  ]);
  assert.throws(() => selectTargets("win7"), /未知平台 win7/);
  for (const ok of ["chatid.example.yaml", "export.sandbox.yaml", "export.sandbox.count-curl.txt"]) {
    assert.ok(SHIPPED_CONFIG.test(ok), ok);
  }
  for (const secret of ["chatid.yaml", "export.yaml", "my-example.yaml"]) {
    assert.equal(SHIPPED_CONFIG.test(secret), false);
  }
  const win = renderPackageReadme(RELEASE_TARGETS[0], EXTRA_LAUNCHERS, "1.2.3");
  assert.ok(win.startsWith("\uFEFFfeishu-kit 1.2.3（windows-x64）"));
  assert.ok(
    win.includes("\r\n") && win.includes("%LOCALAPPDATA%\\feishu-kit") && win.includes("feishu-sandbox.cmd"),
  );
  const linux = renderPackageReadme(RELEASE_TARGETS[1], EXTRA_LAUNCHERS, "1.2.3");
  assert.ok(
    !linux.includes("\r") && linux.includes("~/.local/state/feishu-kit") &&
      linux.includes("feishu-sandbox.sh"),
  );
});

Deno.test("release CLI: --help exits 0, an unknown platform is a usage error (exit 2)", async () => {
  const log = console.log;
  const error = console.error;
  const out: string[] = [];
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => out.push(a.join(" "));
  try {
    assert.equal(await main(["--help"]), 0);
    assert.ok(out.join("\n").includes("deno task release"));
    assert.equal(await main(["--platform", "win7"]), 2);
    assert.ok(out.join("\n").includes("未知平台 win7"));
  } finally {
    console.log = log;
    console.error = error;
  }
});
