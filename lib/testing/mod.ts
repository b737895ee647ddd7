/**
 * Test helpers shared by the test suite and benchmarks (not exported by the
 * public `mod.ts`): a fake clock, a condition wait (`waitFor`), Feishu's event encryption (the library only
 * decrypts) and the long-connection frame codec (the library relies on the
 * official SDK's `WSClient`).
 *
 * @module
 */
export * from "./fake_clock.ts";
export * from "./slow_header_flood.ts";
export * from "./test_secret_box.ts";
export * from "./encrypt_event.ts";
export * from "./pbbp2_frame.ts";
export * from "./tcp_proxy.ts";
export * from "./wait_for.ts";
