/**
 * The README tells the truth about how to run things: its quick start is two
 * npm commands whose scripts install, then run a `deno task` that exists; CI
 * runs exactly the README's test command; every `deno task <name>` the README
 * mentions exists in deno.json; no task hard-codes a Linux browser path; the
 * lockfile is enforced.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, ROOT));

/** JSON with `//` and `/* *\/` comments (deno.json) → value. */
function parseJsonc(text: string): unknown {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      out += text.slice(start, i + 1);
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2) + 1;
    } else {
      out += c;
    }
  }
  return JSON.parse(out);
}

interface DenoJson {
  tasks: Record<string, string>;
  lock?: { frozen?: boolean };
}

/** The shell commands in the quick-start section's first code block. */
function quickStartCommands(readme: string): string[] {
  const start = readme.indexOf("## 快速开始");
  assert.ok(start >= 0, "README has a 快速开始 section");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const block = /```bash\n([\s\S]*?)```/.exec(section);
  assert.ok(block, "the quick start has a bash block");
  return block[1].split("\n").map((l) => l.replace(/#.*$/, "").trim()).filter(Boolean);
}

Deno.test("README quick start: two npm commands whose scripts install, then run an existing deno task", async () => {
  const readme = await read("README.md");
  const deno = parseJsonc(await read("deno.json")) as DenoJson;
  const pkg = JSON.parse(await read("package.json")) as {
    scripts: Record<string, string>;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  const chromium = JSON.parse(await read("tools/chromium/package.json")) as typeof pkg;
  const commands = quickStartCommands(readme);
  assert.deepEqual(commands, ["npm run demo", "npm test"]);
  for (const command of commands) {
    const script = command === "npm test" ? "test" : command.replace(/^npm run /, "");
    const body = pkg.scripts[script];
    assert.ok(body, `package.json has the "${script}" script`);
    // tools/deno_task.mjs runs `deno task <name>` (trusting the system's CA store too).
    const m = /^npm install\b[^&]*&& node tools\/deno_task\.mjs ([\w:-]+)$/.exec(body);
    assert.ok(m, `"${script}" installs, then runs a deno task: ${body}`);
    assert.ok(deno.tasks[m[1]], `deno.json has the task "${m[1]}" that "${command}" runs`);
    // deno.json's task wins over the package.json script of the same name (no recursion).
    assert.equal(m[1], script);
  }
  // What the commands install for them to work on a machine with only Node/npm: Deno (package.json)
  // and, on Linux x64, the npm-shipped Chromium (tools/chromium, kept out of Deno's dependencies).
  assert.equal(pkg.optionalDependencies?.deno ?? pkg.dependencies?.deno, "2.9.6");
  assert.equal(pkg.dependencies?.["@sparticuz/chromium"], undefined);
  assert.ok(chromium.dependencies?.["@sparticuz/chromium"]);
  assert.match(await read("tools/deno_task.mjs"), /new URL\("\.\/chromium\/", import\.meta\.url\)/);
});

Deno.test("README: every `deno task <name>` it mentions exists in deno.json", async () => {
  const readme = await read("README.md");
  const deno = parseJsonc(await read("deno.json")) as DenoJson;
  const named = new Set([...readme.matchAll(/deno task ([\w:-]+)/g)].map((m) => m[1]));
  assert.ok(named.size >= 5, [...named].join());
  const missing = [...named].filter((n) => !(n in deno.tasks));
  assert.deepEqual(missing, [], `tasks named in README.md but absent from deno.json: ${missing}`);
});

Deno.test("CI runs exactly the README's test command and installs nothing else", async () => {
  const ci = await read(".ci/run");
  const code = ci.split("\n").filter((l) => !l.trimStart().startsWith("#")).join("\n");
  assert.match(code, /^npm test 2>&1 \| tee "\$log"$/m);
  assert.doesNotMatch(code, /apt-get|npm (ci|install)|deno task/);
  assert.match(code, /passed, \$\{failed\} failed/);
});

Deno.test("deno.json: lockfile enforced; no task or default hard-codes a browser path", async () => {
  const deno = parseJsonc(await read("deno.json")) as DenoJson;
  assert.equal(deno.lock?.frozen, true);
  for (const [name, task] of Object.entries(deno.tasks)) {
    assert.doesNotMatch(task, /\/usr\/bin|chromium/i, `task ${name}`);
  }
  for (
    const file of ["config/export.example.yaml", "config/export.sandbox.yaml", "pipelines/export/config.ts"]
  ) {
    assert.doesNotMatch(await read(file), /\/usr\/bin\/chromium/, file);
  }
});

Deno.test("deno.json test task: check --doc covers every source folder; the doc lint every lib/*/mod.ts but lib/browser's and every pipelines/**/mod.ts", async () => {
  const deno = parseJsonc(await read("deno.json")) as DenoJson;
  const steps = deno.tasks.test.split(" && ");
  const args = (command: string): string[] => {
    const step = steps.find((s) => s.startsWith(`${command} `));
    assert.ok(step, `the test task runs ${command}`);
    return step.slice(command.length).trim().split(/\s+/).filter((a) => !a.startsWith("-"));
  };
  const checked = args("deno check --doc");
  for (const path of ["mod.ts", "lib/", "pipelines/", "scripts/", "sandbox/", "bench/", "tests/"]) {
    assert.ok(checked.includes(path), `deno check --doc covers ${path}: ${checked.join(" ")}`);
  }
  const linted = args("deno doc --lint");
  const exists = (path: string) => Deno.stat(new URL(path, ROOT)).then(() => true, () => false);
  for (const path of linted) assert.ok(await exists(path), `the doc lint names a missing file: ${path}`);
  const modules = ["mod.ts"];
  for await (const entry of Deno.readDir(new URL("lib/", ROOT))) {
    const mod = `lib/${entry.name}/mod.ts`;
    if (entry.isDirectory && await exists(mod)) modules.push(mod);
  }
  const pipelineModules = await modFilesUnder("pipelines");
  assert.ok(pipelineModules.includes("pipelines/meeting/service/mod.ts"), pipelineModules.join());
  modules.push(...pipelineModules);
  assert.ok(modules.length > 40, modules.join());
  // lib/browser's launcher hands out puppeteer-core's Browser and Page (README, 开发).
  const unlinted = modules.filter((m) => !linted.includes(m) && m !== "lib/browser/mod.ts");
  assert.deepEqual(unlinted, [], `mod.ts files missing from the doc lint: ${unlinted}`);
  const readme = await read("README.md");
  assert.match(
    readme,
    /`deno doc --lint`[^]*?除 `lib\/browser` 以外[^]*?故不在此列/,
    "README explains lib/browser's exclusion",
  );
});

/** Every `mod.ts` below `dir` (any depth), as paths from the repository root. */
async function modFilesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(new URL(`${dir}/`, ROOT))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...await modFilesUnder(path));
    else if (entry.isFile && entry.name === "mod.ts") found.push(path);
  }
  return found.sort();
}
