/** Hono environment of the core service: every request carries its id. */
export type CoreEnv = { Variables: { requestId: string } };
