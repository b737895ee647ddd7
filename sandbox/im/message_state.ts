/**
 * What the IM family keeps beyond the sent messages themselves (which live
 * in the meeting family's `sentMessages`, so tests see every card and its
 * later updates in one place): per message the reply links, recall and edit
 * counts, and the uploaded images and files. Windows set by the tenant's
 * admin (recall, edit) are knobs here; Feishu documents no fixed value.
 *
 * @module
 */
import type { MeetingFamily, SentMessage } from "../scenarios/meeting/family.ts";

/** Extra state of one sent message. */
export interface MessageExtra {
  /** Replied-to message (`parent_id`), and the thread root (`root_id`). */
  parentId?: string;
  /** Root of the reply tree. */
  rootId?: string;
  /** `omt_…` when in a thread. */
  threadId?: string;
  /** Recalled (DELETE) at, ms. */
  recalledAt?: number;
  /** Edits made (PUT), at most 20. */
  edits: number;
  /** Card updates made (PATCH). */
  updates: number;
}

/** An uploaded image. */
export interface UploadedImage {
  /** `img_v3_…`. */
  imageKey: string;
  /** Uploading app. */
  appId: string;
  /** Format by magic bytes. */
  format: string;
  /** Bytes. */
  bytes: Uint8Array;
  /** `message` or `avatar`. */
  imageType: string;
}

/** An uploaded file. */
export interface UploadedFile {
  /** `file_v3_…`. */
  fileKey: string;
  /** Uploading app. */
  appId: string;
  /** `file_type` of the upload. */
  fileType: string;
  /** `file_name` of the upload. */
  fileName: string;
  /** `duration` (ms) when given. */
  durationMs?: number;
  /** Bytes. */
  bytes: Uint8Array;
}

/** Knobs and stores of the IM family. */
export interface ImState {
  /** Per-message extras. */
  readonly extras: WeakMap<SentMessage, MessageExtra>;
  /** Uploaded images by key. */
  readonly images: Map<string, UploadedImage>;
  /** Uploaded files by key. */
  readonly files: Map<string, UploadedFile>;
  /**
   * Recall window, ms: the tenant admin sets it (delete.md names no value);
   * default 24 h. Older messages → 230009.
   */
  recallWindowMs: number;
  /** Edit window, ms (admin-set, update.md); default 24 h. Older → 230075. */
  editWindowMs: number;
}

/** Card updates allowed per message (PATCH, message-card/patch.md: 14 days). */
export const CARD_UPDATE_WINDOW_MS = 14 * 24 * 3_600_000;
/** Edits allowed per message (update.md). */
export const MAX_EDITS = 20;

const STATES = new WeakMap<MeetingFamily, ImState>();

/** The IM state of a sandbox's meeting family (created on first use). */
export function imState(family: MeetingFamily): ImState {
  let s = STATES.get(family);
  if (!s) {
    s = {
      extras: new WeakMap(),
      images: new Map(),
      files: new Map(),
      recallWindowMs: 24 * 3_600_000,
      editWindowMs: 24 * 3_600_000,
    };
    STATES.set(family, s);
    const created = s;
    family.state.onReset(() => {
      created.images.clear();
      created.files.clear();
    });
  }
  return s;
}

/** The extras of `m` (created on first use). */
export function extraOf(state: ImState, m: SentMessage): MessageExtra {
  let e = state.extras.get(m);
  if (!e) {
    e = { edits: 0, updates: 0 };
    state.extras.set(m, e);
  }
  return e;
}
