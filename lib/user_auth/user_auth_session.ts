/** How the user is asked to authorize. */
export type UserAuthMethod = "card" | "link";

/**
 * How a session started: a request sent to a known user (`card`, `link`), or a
 * login the user started in a browser (`browser`, the user known only once
 * they authorized).
 */
export type UserAuthSessionMethod = UserAuthMethod | "browser";

/** Life cycle of a session. */
export type UserAuthSessionStatus = "pending" | "completed" | "expired" | "failed";

/** One user-authorization request. */
export interface UserAuthSession {
  /** Session id (random). */
  id: string;
  /** App asking. */
  appId: string;
  /** User asked (in `userIdType`); for a browser login, empty until it completes, then who authorized. */
  userId: string;
  /** Type of `userId` (`open_id` or `user_id`). */
  userIdType: "open_id" | "user_id";
  /** Card or link message, or a browser login. */
  method: UserAuthSessionMethod;
  /** Where it stands. */
  status: UserAuthSessionStatus;
  /** Created, ms epoch. */
  createdAt: number;
  /** Expires (10 min after creation by default), ms epoch. */
  expiresAt: number;
  /** Completed/failed/expired at, ms epoch. */
  finishedAt?: number;
  /** Why it failed. */
  error?: string;
  /** The message that carried the request. */
  messageId?: string;
}
