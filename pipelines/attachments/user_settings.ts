/**
 * Settings the desktop UI saves (`settings.json` in the user's config folder):
 * host, port, output folder, language, rows shown — and the personal base
 * token, sealed with AES-256-GCM (`lib/crypto` SecretBox; the key comes from
 * `FEISHU_KIT_KEY` or a 0600 key file beside it). Upstream keeps the token in
 * plain text.
 *
 * @module
 */
import { join } from "node:path";
import { loadSecretBox, type SecretBox, writePrivateFile } from "../../lib/crypto/mod.ts";
import { type UiLanguage, uiLanguage } from "./ui_text.ts";

/** What is saved. */
export interface UserSettings {
  /** Address the WebSocket service listens on. */
  host?: string;
  /** Port of the WebSocket service. */
  port?: number;
  /** Output folder. */
  output?: string;
  /** Language of the UI. */
  language?: UiLanguage;
  /** Files the UI lists at most. */
  fileDisplayLimit?: number;
  /** The token, in clear in memory only. */
  personalBaseToken?: string;
}

const AAD = "attachments:personal_base_token";

/** Load and save {@linkcode UserSettings} in `dir`. */
export class UserSettingsFile {
  /** The settings file (`settings.json` in the folder). */
  readonly path: string;
  #dir: string;
  #box?: SecretBox;

  /** Settings in `dir` (`settings.json`, key `secret.key`). */
  constructor(dir: string) {
    this.#dir = dir;
    this.path = join(dir, "settings.json");
  }

  async #secretBox(): Promise<SecretBox> {
    this.#box ??= await loadSecretBox({ keyFile: join(this.#dir, "secret.key") });
    return this.#box;
  }

  /** Read (an unreadable or missing file is empty settings). */
  async load(): Promise<UserSettings> {
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(await Deno.readTextFile(this.path));
    } catch {
      return {};
    }
    const out: UserSettings = {
      host: typeof raw.host === "string" ? raw.host : undefined,
      port: Number.isInteger(raw.port) ? raw.port as number : undefined,
      output: typeof raw.output === "string" ? raw.output : undefined,
      language: uiLanguage(raw.language),
      fileDisplayLimit: Number.isInteger(raw.fileDisplayLimit) ? raw.fileDisplayLimit as number : undefined,
    };
    if (typeof raw.personalBaseTokenSealed === "string") {
      try {
        out.personalBaseToken = await (await this.#secretBox()).open(raw.personalBaseTokenSealed, AAD);
      } catch { /* another key: the user enters the token again */ }
    }
    return out;
  }

  /** Write (0600, folder 0700); the token is sealed. */
  async save(s: UserSettings): Promise<void> {
    const { personalBaseToken, ...plain } = s;
    const data: Record<string, unknown> = { ...plain };
    if (personalBaseToken) {
      data.personalBaseTokenSealed = await (await this.#secretBox()).seal(personalBaseToken, AAD);
    }
    await writePrivateFile(this.path, JSON.stringify(data, null, 2) + "\n");
  }
}
