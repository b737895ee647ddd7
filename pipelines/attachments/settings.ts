/**
 * Settings of the attachment service that jobs read while they run (the UI
 * may change the output folder and the token of a running service).
 *
 * @module
 */

/** Defaults, as the upstream CLI. */
export const DEFAULTS = {
  host: "127.0.0.1",
  port: 11548,
  output: "./downloads",
  downloadConcurrency: 5,
  httpConnectTimeoutSec: 30,
  downloadReadTimeoutSec: 3600,
  baseApiUrl: "https://base-api.feishu.cn",
  maxFrameBytes: 8 * 1024 * 1024,
  maxFilesPerJob: 100_000,
  maxConnections: 16,
  /** How long an upgrade from an unknown origin waits for the user's decision, ms. */
  originDecisionWaitMs: 60_000,
  /**
   * Hosts the download Worker may reach in URL mode: the Feishu and Lark
   * hosts the plugin's temporary links point to (which ones the Base SDK's
   * `getAttachmentUrl` hands out is not documented: the drive stream hosts
   * are what the plugin has been seen to use, the rest are the open
   * platform's), plus loopback for the sandbox. More with `--download-host`;
   * `*` lifts the restriction.
   */
  downloadHosts: [
    "internal-api-drive-stream.feishu.cn",
    "internal-api-drive-stream.larksuite.com",
    "open.feishu.cn",
    "open.larksuite.com",
    "base-api.feishu.cn",
    "base-api.larksuite.com",
    "127.0.0.1",
    "localhost",
  ] as readonly string[],
} as const;

/** What jobs read from the running service. */
export interface JobSettings {
  /** Output folder (job folders go below it). */
  output: string;
  /** Downloads at once per job. */
  downloadConcurrency: number;
  /** Time to response headers, ms. */
  connectTimeoutMs: number;
  /** No byte for this long ends an attempt, ms (0 = no limit). */
  readTimeoutMs: number;
  /** Personal base token (token mode). */
  personalBaseToken?: string;
  /** Base of the base-api host, e.g. `https://base-api.feishu.cn`. */
  baseApiUrl: string;
  /** Files accepted per job. */
  maxFilesPerJob: number;
  /** URL mode: hosts the download Worker may reach (default {@linkcode DEFAULTS}.downloadHosts; `*` any). */
  downloadHosts?: readonly string[];
}
