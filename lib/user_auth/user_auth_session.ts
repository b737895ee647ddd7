/** How the user is asked to authorize. */
export type UserAuthMethod = "card" | "link";

/** Life cycle of a session. */
export type UserAuthSessionStatus = "pending" | "completed" | "expired" | "failed";

/** One user-authorization request. */
export interface UserAuthSession {
  /** Session id (random). */
  id: string;
  /** App asking. */
  appId: string;
  /** User asked (in `userIdType`). */
  userId: string;
  /** Type of `userId` (`open_id` or `user_id`). */
  userIdType: "open_id" | "user_id";
  /** Card or link message. */
  method: UserAuthMethod;
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
