/**
 * Feishu contract Open API (`open-apis/contract/v1`).
 *
 * @module
 */
export * from "./contract_api.ts";
