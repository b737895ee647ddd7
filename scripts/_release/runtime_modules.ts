/**
 * Find modules the static import graph misses (internal): worker entry
 * points and other modules loaded by URL (`new URL("./x.ts", import.meta.url)`,
 * whether passed to `new Worker`, `restrictedWorker` or `runStageWorker`) and npm packages
 * imported through a specifier held in a string (`await import(SPECIFIER)`).
 * `deno cache` and `deno compile --include` need them named.
 *
 * @module
 */
import { dirname, join, relative } from "node:path";

const WORKER = /new\s+URL\(\s*["']([^"']+\.ts)["']\s*,\s*import\.meta\.url/g;
const NPM_LITERAL = /["'](npm:@?[a-z0-9][\w.\-/]*@\d[\w.\-+]*)["']/gi;

/** Project-relative worker files (with `/`) and `npm:` specifiers found in `files` (relative to `root`). */
export async function runtimeModules(root: string, files: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const f of files) {
    const text = await Deno.readTextFile(join(root, f));
    for (const m of text.matchAll(WORKER)) {
      const worker = relative(root, join(root, dirname(f), m[1])).replaceAll("\\", "/");
      if (await isFile(join(root, worker))) out.add(worker); // not an example in a comment
    }
    for (const m of text.matchAll(NPM_LITERAL)) out.add(m[1]);
  }
  return [...out].sort();
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** Every `.ts` file below the given project folders, relative to `root`, with `/`. */
export async function sourceFiles(root: string, folders: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(join(root, rel))) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory) await walk(child);
      else if (e.isFile && e.name.endsWith(".ts")) out.push(child);
    }
  };
  for (const f of folders) await walk(f);
  return out.sort();
}

/**
 * The project files `script` imports (its static graph, from `deno info --json`),
 * relative to `root`, with `/`.
 */
export async function graphFiles(root: string, script: string, deno = Deno.execPath()): Promise<string[]> {
  const out = await new Deno.Command(deno, {
    args: ["info", "--json", script],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`deno info ${script} 失败：${new TextDecoder().decode(out.stderr)}`);
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as { modules: { specifier: string }[] };
  const base = new URL(`file://${root.endsWith("/") ? root : root + "/"}`).href;
  return info.modules.map((m) => m.specifier).filter((s) => s.startsWith(base)).map((s) =>
    decodeURIComponent(s.slice(base.length))
  );
}
