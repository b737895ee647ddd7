/**
 * The sandbox's card family: card clicks delivered to a service's callback URL
 * signed as Feishu does, and the card-update endpoint so a test can watch a
 * card change state.
 *
 * @module
 */
export * from "./family.ts";
export * from "./click.ts";
export * from "./routes.ts";
