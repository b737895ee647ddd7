/**
 * Secrets at rest: AES-256-GCM sealing ({@linkcode SecretBox}) and the key's source
 * (environment variable or a 0600 key file, {@linkcode loadSecretBox}).
 *
 * @example
 * ```ts
 * import { loadSecretBox } from "./mod.ts";
 * const box = await loadSecretBox({ keyFile: ".state/secret.key" });
 * const sealed = await box.seal("refresh-token", "user:ou_1");
 * ```
 *
 * @module
 */
export * from "./secret_box.ts";
export * from "./key_source.ts";
