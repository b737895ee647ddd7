/**
 * `deno task bench`: run every benchmark script in turn and print its
 * figures. Benchmarks print numbers; none of them asserts a time.
 *
 * Usage: deno task bench [name-filter]
 */
const filter = Deno.args[0] ?? "";
const dir = new URL(".", import.meta.url).pathname;
const scripts = [...Deno.readDirSync(dir)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".ts") && n !== "run.ts" && !n.startsWith("_") && n.includes(filter))
  .sort();
let failed = 0;
for (const name of scripts) {
  console.log(`\n=== ${name} ===`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${dir}${name}`],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    failed++;
    console.log(`(${name} exited with code ${code})`);
  }
}
Deno.exit(failed ? 1 : 0);
