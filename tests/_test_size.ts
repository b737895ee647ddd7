/**
 * How big the heavy tests run: `FEISHU_KIT_TEST_SIZE=quick` (what `deno task
 * test:fast` sets) shrinks the fuzz and load counts and skips the tests whose
 * only point is a real child process (kill -9, Ctrl+C to a spawned CLI);
 * anything else, or unset (what `deno task test` and CI run), is the full
 * size. The quick set proves the same behaviour on fewer cases; the full
 * suite keeps every count and at least one real subprocess test per CLI.
 *
 * @module
 */

/** True when the quick (developer loop) size was asked for. */
export const QUICK: boolean = Deno.env.get("FEISHU_KIT_TEST_SIZE") === "quick";

/** `full` in the full suite, `quick` in the quick set. */
export function sized(full: number, quick: number): number {
  return QUICK ? quick : full;
}

/**
 * Fuzz cases: `FEISHU_KIT_FUZZ_CASES` when set (a long local run), else
 * `full`, or `quick` in the quick set.
 */
export function fuzzCases(full: number, quick: number): number {
  const n = Number(Deno.env.get("FEISHU_KIT_FUZZ_CASES"));
  return Number.isInteger(n) && n > 0 ? n : sized(full, quick);
}
