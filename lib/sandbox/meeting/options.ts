/**
 * Options of the sandbox's meeting family (filled in by that family's routes).
 *
 * @module
 */

/** Options of the meeting family of sandbox endpoints. */
export interface MeetingSandboxOptions {
  /** Seed override for this family's data (default: the sandbox seed). */
  seed?: number;
}
