/**
 * The static description of one endpoint, as each family's `endpoints.ts`
 * declares it (see `endpoints.ts` for the aggregate).
 *
 * @module
 */

/**
 * How a family of endpoints reports errors:
 * - `token`: auth v3 token endpoints (top-level fields, failures still HTTP 200);
 * - `oauth`: the v2 OAuth token endpoint (`{code, error, error_description}`;
 *   server faults 20050 [500] / 20072 [503]);
 * - `open_api`: Open Platform APIs (`{code, msg, data}`, gateway errors HTTP 4xx);
 * - `clm`: cookie-authenticated CLM web endpoints (`{code, message, data}`).
 */
export type EndpointFamily = "token" | "oauth" | "open_api" | "clm";

/** One endpoint: its name (journal, rate limits, faults), error family, method, path and title. */
export interface EndpointSpec {
  /** Name used by the journal, rate limits and faults. */
  readonly name: string;
  /** Error family (decides the shape of injected errors). */
  readonly family: EndpointFamily;
  /** HTTP method. */
  readonly method: "GET" | "POST";
  /** Path, exactly as on Feishu (Hono pattern). */
  readonly path: string;
  /** Chinese one-line description (shown by `deno task sandbox`). */
  readonly title: string;
}
