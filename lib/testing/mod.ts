/**
 * Test helpers shared by the test suite and benchmarks.
 *
 * @module
 */
export * from "./fake_clock.ts";
export * from "./slow_header_flood.ts";
export * from "./test_secret_box.ts";
export * from "./tcp_proxy.ts";
