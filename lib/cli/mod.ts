/**
 * Command-line helpers shared by the scripts: progress display, error
 * reporting for people, masked config summaries, UTF-8 in Windows console windows.
 *
 * @module
 */
export * from "./progress.ts";
export * from "./report_error.ts";
export * from "./report_invalid_lines.ts";
export * from "./config_summary.ts";
export * from "./parse_cli.ts";
export * from "./utf8_console.ts";
export * from "./read_secret.ts";
