/**
 * What the admin API needs from the app registry. Declared here so the admin
 * routes do not depend on the registry's implementation: `lib/registry`'s
 * `AppRegistry` satisfies it structurally. {@linkcode MemoryAdminRegistry} is
 * the stand-in used until one is wired (and in tests).
 *
 * @module
 */

/** `active` or `disabled`. */
export type AdminAppStatus = "active" | "disabled";

/** An app as the admin API shows it (never the secret). */
export interface AdminAppInfo {
  /** `cli_…`. */
  appId: string;
  /** Display name. */
  name: string;
  /** Description. */
  description: string;
  /** Status. */
  status: AdminAppStatus;
  /** Who added it. */
  createdBy: string;
  /** ms epoch. */
  createdAt: number;
  /** ms epoch. */
  updatedAt: number;
}

/** The registry operations the admin API calls. */
export interface AdminRegistry {
  /** All apps. */
  list(): Promise<AdminAppInfo[]>;
  /** One app. */
  get(appId: string): Promise<AdminAppInfo | undefined>;
  /** Add an app. */
  add(
    app: { appId: string; appSecret: string; name?: string; description?: string; status?: AdminAppStatus },
    actor: string,
  ): Promise<AdminAppInfo>;
  /** Change name, description or secret. */
  update(
    appId: string,
    patch: { appSecret?: string; name?: string; description?: string },
    actor: string,
  ): Promise<
    AdminAppInfo
  >;
  /** Enable or disable. */
  setStatus(appId: string, status: AdminAppStatus, actor: string): Promise<AdminAppInfo>;
  /** Remove. */
  remove(appId: string, actor: string): Promise<void>;
}

/** In-memory {@linkcode AdminRegistry} (tests; a placeholder until the real registry is wired). */
export class MemoryAdminRegistry implements AdminRegistry {
  readonly #apps = new Map<string, AdminAppInfo & { appSecret: string }>();

  /** All apps. */
  list(): Promise<AdminAppInfo[]> {
    return Promise.resolve([...this.#apps.values()].map(strip));
  }

  /** One app. */
  get(appId: string): Promise<AdminAppInfo | undefined> {
    const a = this.#apps.get(appId);
    return Promise.resolve(a && strip(a));
  }

  /** Add an app. */
  add(
    app: { appId: string; appSecret: string; name?: string; description?: string; status?: AdminAppStatus },
    actor: string,
  ): Promise<AdminAppInfo> {
    if (this.#apps.has(app.appId)) return Promise.reject(new Error(`app ${app.appId} exists`));
    const now = Date.now();
    const rec = {
      appId: app.appId,
      appSecret: app.appSecret,
      name: app.name ?? "",
      description: app.description ?? "",
      status: app.status ?? "active",
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
    };
    this.#apps.set(app.appId, rec);
    return Promise.resolve(strip(rec));
  }

  /** Change fields. */
  update(
    appId: string,
    patch: { appSecret?: string; name?: string; description?: string },
    _actor: string,
  ): Promise<AdminAppInfo> {
    const a = this.#apps.get(appId);
    if (!a) return Promise.reject(new Error(`no app ${appId}`));
    Object.assign(a, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), {
      updatedAt: Date.now(),
    });
    return Promise.resolve(strip(a));
  }

  /** Enable or disable. */
  setStatus(appId: string, status: AdminAppStatus, actor: string): Promise<AdminAppInfo> {
    return this.#apps.has(appId)
      ? this.update(appId, {}, actor).then(() => {
        this.#apps.get(appId)!.status = status;
        return strip(this.#apps.get(appId)!);
      })
      : Promise.reject(new Error(`no app ${appId}`));
  }

  /** Remove. */
  remove(appId: string, _actor: string): Promise<void> {
    if (!this.#apps.delete(appId)) return Promise.reject(new Error(`no app ${appId}`));
    return Promise.resolve();
  }
}

function strip(a: AdminAppInfo & { appSecret?: string }): AdminAppInfo {
  const { appSecret: _s, ...info } = a;
  return info;
}
