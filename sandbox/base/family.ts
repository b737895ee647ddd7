/**
 * The Base (多维表格) family of the sandbox: one Base with a table, an
 * attachment field and records whose attachments have assorted sizes (bytes
 * generated on the fly, never held in memory), the temporary download URLs
 * the plugin hands out (they expire, then answer 400), the base-api media
 * download with personal-base-token auth and the `bitablePerm` check, the
 * 2 QPS per document limit, and fault knobs (links expired on first use,
 * one-off 5xx, cut connections, slow bodies).
 *
 * @example
 * ```ts
 * import { createSandbox } from "../mod.ts";
 * import { baseFamily } from "./mod.ts";
 *
 * const sandbox = createSandbox();
 * const base = baseFamily(sandbox);
 * base.configure({ attachments: 20, expiredOnFirstUse: 0.1 });
 * console.log(base.attachments.length, base.personalBaseToken);
 * ```
 *
 * @module
 */
import { Prng } from "../_prng.ts";
import type { SandboxState } from "../state.ts";

/** Key of the family in `state.families`. */
export const BASE_FAMILY_KEY = "base";

/** One attachment of a record. */
export interface SandboxAttachment {
  /** 1-based position in the plugin's order (fields, then records). */
  order: number;
  /** File token (`boxcn…`). */
  token: string;
  name: string;
  size: number;
  fieldId: string;
  recordId: string;
  /** Value of the record's 「分类」 cell (the plugin's first-level folder). */
  category: string;
}

/** Knobs of the Base family. */
export interface BaseOptions {
  /** Number of attachments (default 12). */
  attachments?: number;
  /** Sizes to cycle through, bytes (default tiny to 2 MB). */
  sizes?: number[];
  /** Lifetime of a temporary download URL, ms (default 600 000). */
  urlTtlMs?: number;
  /** Share of attachments whose first link is already expired (default 0). */
  expiredOnFirstUse?: number;
  /** Share of attachments whose first request answers 5xx (default 0). */
  fail5xxOnce?: number;
  /** Share of attachments whose first body is cut half way (default 0). */
  cutOnce?: number;
  /** Share of attachments the plugin can never get a link for (`getAttachmentUrl` fails; default 0). */
  urlDenied?: number;
  /** A cut body also revokes every link issued so far for that attachment (an expiry mid-download). */
  revokeOnCut?: boolean;
  /** Delay per 256 KiB chunk of every body, ms (default 0). */
  slowChunkMs?: number;
  /** Requests per second per Base document on the media download (default 2). */
  mediaQps?: number;
  /** Seed of the fault dice and names (default the sandbox seed). */
  seed?: number;
}

/** State and knobs of the Base family. */
export class BaseFamily {
  readonly state: SandboxState;
  /** The Base's app token (`baseId` in the plugin). */
  readonly appToken = "bascnSandboxBase000001";
  readonly tableId = "tblSandboxAttach01";
  readonly fieldId = "fldAttach001";
  /** A personal base token valid for this Base (`pt-…`). */
  readonly personalBaseToken = "pt-sandbox-personal-base-token-0001";
  attachments: SandboxAttachment[] = [];
  options: Required<Omit<BaseOptions, "seed">> & { seed: number };
  /** Faults still armed, by file token. */
  readonly pendingExpire = new Set<string>();
  readonly pending5xx = new Set<string>();
  readonly pendingCut = new Set<string>();
  /** Links issued per attachment (a link carries its number). */
  readonly issued = new Map<string, number>();
  /** Links numbered up to this are revoked, per attachment. */
  readonly revokedUpTo = new Map<string, number>();
  /** Attachments whose link request always fails. */
  readonly denied = new Set<string>();
  /** Media-download grant times per document (2 QPS window). */
  readonly mediaGrants = new Map<string, number[]>();
  /** Counters for tests. */
  readonly stats = {
    urlIssued: 0,
    urlExpired: 0,
    served: 0,
    ranged: 0,
    faults5xx: 0,
    cuts: 0,
    throttled: 0,
    media: 0,
  };

  constructor(state: SandboxState) {
    this.state = state;
    this.options = resolve({}, state.options.seed);
    this.#generate();
    state.onReset(() => this.configure({}));
  }

  /** Change the knobs (the data set is generated again). */
  configure(o: BaseOptions): void {
    this.options = resolve({ ...this.options, ...o }, o.seed ?? this.options.seed);
    for (const k of Object.keys(this.stats) as (keyof typeof this.stats)[]) this.stats[k] = 0;
    this.mediaGrants.clear();
    this.#generate();
  }

  /** The attachment of `token`. */
  byToken(token: string): SandboxAttachment | undefined {
    return this.attachments.find((a) => a.token === token);
  }

  /** Total bytes of all attachments. */
  totalBytes(): number {
    return this.attachments.reduce((s, a) => s + a.size, 0);
  }

  #generate(): void {
    const rng = new Prng(this.options.seed ^ 0x5eed_ba5e);
    const categories = ["合同", "发票", "图片/截图", "CON", "未分类"];
    const exts = [".pdf", ".docx", ".png", ".xlsx", ".zip", ""];
    this.attachments = [];
    this.pendingExpire.clear();
    this.pending5xx.clear();
    this.pendingCut.clear();
    this.denied.clear();
    this.issued.clear();
    this.revokedUpTo.clear();
    for (let i = 1; i <= this.options.attachments; i++) {
      const token = `boxcnSandbox${String(i).padStart(6, "0")}`;
      const size = this.options.sizes[(i - 1) % this.options.sizes.length];
      const ext = exts[i % exts.length];
      const att: SandboxAttachment = {
        order: i,
        token,
        name: `附件 ${String(i).padStart(4, "0")}${ext}`,
        size,
        fieldId: this.fieldId,
        recordId: `rec${String(Math.ceil(i / 2)).padStart(8, "0")}`,
        category: categories[i % categories.length],
      };
      this.attachments.push(att);
      if (rng.next() < this.options.expiredOnFirstUse) this.pendingExpire.add(token);
      if (rng.next() < this.options.fail5xxOnce) this.pending5xx.add(token);
      if (rng.next() < this.options.cutOnce) this.pendingCut.add(token);
      if (rng.next() < this.options.urlDenied) this.denied.add(token);
    }
  }
}

function resolve(o: BaseOptions, seed: number): BaseFamily["options"] {
  return {
    attachments: o.attachments ?? 12,
    sizes: o.sizes?.length ? o.sizes : [0, 1, 1000, 64 * 1024, 300 * 1024 + 7, 2 * 1024 * 1024],
    urlTtlMs: o.urlTtlMs ?? 600_000,
    expiredOnFirstUse: o.expiredOnFirstUse ?? 0,
    fail5xxOnce: o.fail5xxOnce ?? 0,
    cutOnce: o.cutOnce ?? 0,
    urlDenied: o.urlDenied ?? 0,
    revokeOnCut: o.revokeOnCut ?? false,
    slowChunkMs: o.slowChunkMs ?? 0,
    mediaQps: o.mediaQps ?? 2,
    seed,
  };
}

/** The Base family of a sandbox (created on first use). */
export function baseFamily(target: SandboxState | { state: SandboxState }): BaseFamily {
  const state = "families" in target ? target : target.state;
  let family = state.families.get(BASE_FAMILY_KEY) as BaseFamily | undefined;
  if (!family) {
    family = new BaseFamily(state);
    state.families.set(BASE_FAMILY_KEY, family);
  }
  return family;
}
