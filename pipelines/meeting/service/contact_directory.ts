import type { ContactCache } from "../../../lib/contact/contact_cache.ts";
import type { Directory, DirectoryUser } from "../ports.ts";

/**
 * {@linkcode Directory} over `lib/contact`'s `ContactCache` (SQLite, 24 h TTL
 * per app, an expired entry used when Feishu cannot be reached): the user's
 * name and departments with their names. The cache's API must use tenant
 * `user_id`s, the ids jobs carry.
 *
 * @example
 * ```ts
 * import { ContactCache } from "../../../lib/contact/contact_cache.ts";
 * import type { MeetingClients } from "./meeting_clients.ts";
 *
 * declare const clients: MeetingClients;
 * const cache = new ContactCache({
 *   path: ".state/state.db", // config.state.db
 *   appId: clients.app.appId,
 *   api: clients.contacts,
 * });
 * const directory = new ContactDirectory(cache); // clients.contacts uses tenant user_ids
 * const { name, departments } = await directory.user("zhangsan");
 * ```
 */
export class ContactDirectory implements Directory {
  #cache: Pick<ContactCache, "getUser">;

  /** Read users through `cache`. */
  constructor(cache: Pick<ContactCache, "getUser">) {
    this.#cache = cache;
  }

  /** See {@linkcode Directory.user}. */
  async user(userId: string, signal?: AbortSignal): Promise<DirectoryUser> {
    const u = await this.#cache.getUser(userId, { signal });
    return { name: u.name, departments: u.departments.map((d) => ({ id: d.id, name: d.name })) };
  }
}
