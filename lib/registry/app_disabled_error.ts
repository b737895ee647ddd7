import { ConfigError } from "../errors/config_error.ts";

/** A token was asked for an app that is disabled in the registry; no request was made. */
export class AppDisabledError extends ConfigError {
  /** The disabled app. */
  readonly appId: string;
  /** Create the error for `appId`. */
  constructor(appId: string) {
    super(`app ${appId} is disabled`, {
      hint: `应用 ${appId} 已停用，不再发放令牌。需要时用 \`deno task apps enable ${appId}\` 重新启用。`,
    });
    this.appId = appId;
  }
}
