/**
 * Coverage floor for `deno task test`: reads the lcov report that
 * `deno coverage --lcov` wrote, prints the totals (lines, branches) and the
 * least-covered files, and exits 1 when a total is below its floor.
 *
 * The floors are the figures measured on the whole suite (rounded down), so
 * coverage can only go up: raise them when it does, never lower them to pass.
 *
 * Usage: deno run --allow-read=coverage tools/coverage_floor.ts [coverage/lcov.info]
 *
 * @module
 */

/** Minimum total coverage, in percent. */
export const FLOOR = { lines: 93.5, branches: 88.5 } as const;

/** Covered and total counts of one file (or of all files). */
export interface Counts {
  /** Source path. */
  file: string;
  /** Lines hit. */
  linesHit: number;
  /** Lines found. */
  lines: number;
  /** Branches hit. */
  branchesHit: number;
  /** Branches found. */
  branches: number;
}

/** Parse an lcov report into per-file counts. */
export function parseLcov(text: string): Counts[] {
  const files: Counts[] = [];
  let cur: Counts | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const [key, value = ""] = line.split(/:(.*)/s, 2);
    if (key === "SF") cur = { file: value, linesHit: 0, lines: 0, branchesHit: 0, branches: 0 };
    else if (!cur) continue;
    else if (key === "LF") cur.lines = Number(value);
    else if (key === "LH") cur.linesHit = Number(value);
    else if (key === "BRF") cur.branches = Number(value);
    else if (key === "BRH") cur.branchesHit = Number(value);
    else if (line === "end_of_record") {
      files.push(cur);
      cur = undefined;
    }
  }
  return files;
}

/** Sum per-file counts. */
export function total(files: Counts[]): Counts {
  const t: Counts = { file: "all files", linesHit: 0, lines: 0, branchesHit: 0, branches: 0 };
  for (const f of files) {
    t.linesHit += f.linesHit;
    t.lines += f.lines;
    t.branchesHit += f.branchesHit;
    t.branches += f.branches;
  }
  return t;
}

const pct = (hit: number, all: number): number => all === 0 ? 100 : (100 * hit) / all;

if (import.meta.main) {
  const path = Deno.args[0] ?? "coverage/lcov.info";
  const files = parseLcov(await Deno.readTextFile(path));
  if (files.length === 0) {
    console.error(`覆盖率：${path} 中没有任何文件记录。`);
    Deno.exit(1);
  }
  const cwd = `file://${Deno.cwd()}/`;
  const name = (f: string) => f.replace(cwd, "").replace(`${Deno.cwd()}/`, "");
  const worst = [...files].filter((f) => f.lines >= 20)
    .sort((a, b) => pct(a.linesHit, a.lines) - pct(b.linesHit, b.lines)).slice(0, 10);
  console.log("\ncoverage: least-covered files (lines %, branches %)");
  for (const f of worst) {
    console.log(
      `  ${pct(f.linesHit, f.lines).toFixed(1).padStart(5)}  ${
        pct(f.branchesHit, f.branches).toFixed(1).padStart(5)
      }  ${name(f.file)}`,
    );
  }
  const t = total(files);
  const lines = pct(t.linesHit, t.lines);
  const branches = pct(t.branchesHit, t.branches);
  console.log(
    `coverage: ${files.length} files, lines ${lines.toFixed(1)}% (${t.linesHit}/${t.lines}), ` +
      `branches ${branches.toFixed(1)}% (${t.branchesHit}/${t.branches}); ` +
      `floor lines ${FLOOR.lines}%, branches ${FLOOR.branches}%`,
  );
  const low = [
    lines < FLOOR.lines ? `行覆盖率 ${lines.toFixed(1)}% 低于下限 ${FLOOR.lines}%` : "",
    branches < FLOOR.branches ? `分支覆盖率 ${branches.toFixed(1)}% 低于下限 ${FLOOR.branches}%` : "",
  ].filter(Boolean);
  if (low.length) {
    console.error(`覆盖率不达标：${low.join("；")}。请为新增代码补充测试。`);
    Deno.exit(1);
  }
}
