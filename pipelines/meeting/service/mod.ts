/**
 * The meeting recording archiver as a service (`deno task meeting`): the
 * Hono app on `Deno.serve` and the adapters from the real Feishu clients to
 * the pipeline's ports.
 *
 * - Intake: `POST /webhook/event` (signature, decryption, challenge, 413/400/401,
 *   stored durably before the 200) or the long connection (`events.mode:
 *   long_connection`), both into the same SQLite event store;
 *   {@linkcode EventProcessor} turns each `vc.meeting.all_meeting_ended_v1`
 *   into one job for the meeting's owner (open id mapped to a user id when needed).
 * - Jobs: the pipeline's `MeetingWorker` with {@linkcode LarkRecordingSource},
 *   {@linkcode LarkMinutesSource} (the owner's own token), {@linkcode FileDownloader},
 *   {@linkcode ContactDirectory}, {@linkcode CardNotifier} (cards from the app's
 *   bot) and {@linkcode TokenUserAuth}. A user without a usable login waits
 *   for authorization and gets a red card.
 * - OAuth: lib/user_auth's routes with the archiver's pages — `GET /auth/start`
 *   (「授权开启」, a browser login: single-use state bound to the browser, PKCE,
 *   `offline_access`) and `GET /auth/callback` (tokens saved through the token
 *   manager, then every waiting job of the user resumes: back-fill);
 *   {@linkcode TokenKeepAlive} refreshes idle logins before they lapse.
 * - `GET /healthz`, `GET /` / `GET /status` (Chinese status page).
 * - Front door ({@linkcode registerAdminAccess}): `Host` on the allow-list
 *   ({@linkcode accessPolicy}), state-changing requests from the configured
 *   origins only, and — once reachable beyond loopback — the admin token
 *   ({@linkcode resolveAdminToken}) for everything but the webhook, the OAuth
 *   pages and `/healthz`. {@linkcode securityPreflight} refuses to start
 *   without a Verification Token in webhook mode or without a usable admin token.
 *
 * @example
 * ```ts
 * import { serveGuarded } from "../../../lib/http/serve_guarded.ts";
 * import type { Logger } from "../../../lib/log/logger.ts";
 * import type { MeetingConfig } from "../config.ts";
 * import { checkMeetingStartup, createMeetingService } from "./mod.ts";
 *
 * declare const config: MeetingConfig, logger: Logger;
 * const service = await createMeetingService(config, { logger });
 * await checkMeetingStartup(config, { endpoints: service.clients.endpoints });
 * const stop = new AbortController();
 * await service.start(stop.signal);
 * const server = serveGuarded({ hostname: "127.0.0.1", port: 29090, signal: stop.signal }, service.fetch);
 * // … SIGINT: stop.abort(); await server.finished; await service.stop();
 * ```
 *
 * @module
 */
export * from "./meeting_clients.ts";
export * from "./recording_source.ts";
export * from "./minutes_source.ts";
export * from "./file_downloader.ts";
export * from "./contact_directory.ts";
export * from "./card_notifier.ts";
export * from "./token_user_auth.ts";
export * from "./owner_resolver.ts";
export * from "./event_processor.ts";
export * from "./keep_alive.ts";
export * from "./auth_routes.ts";
export * from "./status_routes.ts";
export * from "./webhook_route.ts";
export * from "./startup_checks.ts";
export * from "./access_policy.ts";
export * from "./admin_token.ts";
export * from "./admin_access.ts";
export * from "./security_preflight.ts";
export * from "./meeting_routes.ts";
export * from "./meeting_service.ts";
