/**
 * Chats and messages of the sandbox user, as the export family stores them
 * (the IM routes and the messenger pages render their own wire shapes).
 *
 * @module
 */
import type { ExportTask } from "../clm/export_task.ts";

/** One chat the sandbox user has. */
export interface SandboxChat {
  /** `oc_…`. */
  chatId: string;
  /** Display name. */
  name: string;
  /** `true` for the 飞书合同 bot chat. */
  isBot: boolean;
}

/** One message as stored (the routes render the wire shapes). */
export interface ChatMessage {
  /** `om_…`. */
  messageId: string;
  /** Chat. */
  chatId: string;
  /** IM `msg_type`. */
  msgType: "text" | "interactive" | "file";
  /** Creation time, ms. */
  createTime: number;
  /** Text (the file name for file messages). */
  text: string;
  /** Sender display name. */
  senderName: string;
  /** `true` when sent by the 飞书合同 bot. */
  fromBot: boolean;
  /** The export behind a notice or file message. */
  task?: ExportTask;
  /** Parent message (the notice, for a file message). */
  parentId?: string;
  /** Tie-breaker for equal times. */
  seq: number;
}
