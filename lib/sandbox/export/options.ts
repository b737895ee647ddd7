/**
 * Options of the sandbox's export family (filled in by that family's routes).
 *
 * @module
 */

/** Options of the export family of sandbox endpoints. */
export interface ExportSandboxOptions {
  /** Seed override for this family's data (default: the sandbox seed). */
  seed?: number;
}
