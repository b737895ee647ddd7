import { SecretBox } from "../crypto/secret_box.ts";

/**
 * A {@linkcode SecretBox} with a fixed key (every byte `seed`), for tests and benchmarks:
 * the same in every process, so stores shared across processes open each other's rows.
 * Never use it for real data.
 *
 * @example
 * ```ts
 * import { testSecretBox } from "./test_secret_box.ts";
 * const box = await testSecretBox();
 * const other = await testSecretBox(2); // a different key
 * ```
 */
export function testSecretBox(seed = 1): Promise<SecretBox> {
  return SecretBox.fromRawKey(new Uint8Array(32).fill(seed & 0xff));
}
