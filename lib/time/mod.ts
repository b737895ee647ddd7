/**
 * Time helpers: the injectable {@linkcode Clock} and an abortable `delay`.
 *
 * @module
 */
export * from "./clock.ts";
