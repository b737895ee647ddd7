/**
 * Configuration: YAML files + environment variables for secrets + CLI flags,
 * validated at start with Chinese messages naming the key and the file.
 *
 * @module
 */
export * from "./load_config.ts";
export * from "./format_issues.ts";
export * from "./dotenv.ts";
export * from "./store_setting_field.ts";
