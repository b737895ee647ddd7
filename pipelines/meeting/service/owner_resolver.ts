import type { ContactApi } from "../../../lib/contact/contact_api.ts";
import type { EventUserIds } from "../../../lib/events/meeting_ended.ts";

/** Options of {@linkcode OwnerResolver}. */
export interface OwnerResolverOptions {
  /** Contact client addressed by `open_id` (`user_id_type=open_id`), tenant token. */
  contacts: Pick<ContactApi, "getUser">;
  /** Most open ids remembered (default 10 000). */
  maxEntries?: number;
}

/**
 * The tenant `user_id` of a meeting owner. Events carry it when the app has
 * `contact:user.employee_id:readonly`; otherwise it is looked up once from
 * the owner's `open_id` (`contact/v3/users/:open_id`) and remembered.
 * Resolves `undefined` when Feishu does not say (the app lacks the scope);
 * Feishu errors are thrown as typed `LarkError`s.
 *
 * @example
 * ```ts
 * import type { MeetingEnded } from "../../../lib/events/meeting_ended.ts";
 * import type { MeetingClients } from "./meeting_clients.ts";
 *
 * declare const clients: MeetingClients, meeting: MeetingEnded;
 * const owners = new OwnerResolver({ contacts: clients.contactsByOpenId }); // user_id_type=open_id
 * const userId = await owners.userId(meeting.owner);
 * ```
 */
export class OwnerResolver {
  #o: OwnerResolverOptions;
  #known = new Map<string, string>();

  /** Create the resolver. */
  constructor(options: OwnerResolverOptions) {
    this.#o = options;
  }

  /** The owner's tenant user id, or `undefined` when it cannot be known. */
  async userId(owner: EventUserIds, signal?: AbortSignal): Promise<string | undefined> {
    if (owner.userId) return owner.userId;
    const openId = owner.openId;
    if (!openId) return undefined;
    const known = this.#known.get(openId);
    if (known) return known;
    const user = await this.#o.contacts.getUser(openId, { signal });
    if (!user.userId) return undefined;
    if (this.#known.size >= (this.#o.maxEntries ?? 10_000)) this.#known.clear();
    this.#known.set(openId, user.userId);
    return user.userId;
  }
}
