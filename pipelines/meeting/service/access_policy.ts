import type { MeetingConfig } from "../config.ts";

/** Who may reach the service's pages and actions (built by {@linkcode accessPolicy}). */
export interface AccessPolicy {
  /** Accepted `Host` header values, lowercase (`name:port`, and `name` alone for a default port). */
  readonly hosts: ReadonlySet<string>;
  /** Accepted `Origin` values of state-changing requests (`scheme://name:port`). */
  readonly origins: ReadonlySet<string>;
  /** True when the service can be reached from beyond this machine (bind address or public URL). */
  readonly exposed: boolean;
  /** The admin token; set exactly when {@linkcode AccessPolicy.exposed}. */
  readonly adminToken: string | undefined;
  /** Cookies carry `Secure` (the public URL is https). */
  readonly secureCookies: boolean;
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/** True for 127.0.0.0/8, `::1` and `localhost` (with or without brackets). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** True for the wildcard bind addresses (`0.0.0.0`, `::`). */
export function isWildcardHost(host: string): boolean {
  const h = host.trim().replace(/^\[|\]$/g, "");
  return h === "0.0.0.0" || h === "::";
}

/** True when the config makes the service reachable from beyond loopback. */
export function isExposed(config: MeetingConfig): boolean {
  return !isLoopbackHost(config.server.host) ||
    !isLoopbackHost(new URL(config.server.public_base_url).hostname);
}

/**
 * The host allow-list and origins from the config, never from a request:
 * `public_base_url`'s host, `server.host` (unless a wildcard), every name in
 * `server.allowed_hosts`, and the loopback names when the service listens on
 * loopback (or on a wildcard address, which includes loopback). A request
 * naming any other host (DNS rebinding, a stray virtual host) is refused.
 *
 * @example
 * ```ts
 * import type { MeetingConfig } from "../config.ts";
 *
 * declare const config: MeetingConfig, adminToken: string | undefined;
 * const policy = accessPolicy(config, adminToken);
 * policy.hosts.has("127.0.0.1:29090"); // true for the default config
 * ```
 */
export function accessPolicy(config: MeetingConfig, adminToken?: string): AccessPolicy {
  const hosts = new Set<string>();
  const origins = new Set<string>();
  const add = (scheme: string, hostname: string, port: string) => {
    const name = hostname.toLowerCase();
    const defaultPort = scheme === "https:" ? "443" : "80";
    const p = port || defaultPort;
    hosts.add(`${name}:${p}`);
    if (p === defaultPort) hosts.add(name);
    origins.add(p === defaultPort ? `${scheme}//${name}` : `${scheme}//${name}:${p}`);
  };
  const pub = new URL(config.server.public_base_url);
  add(pub.protocol, bracket(pub.hostname), pub.port);
  const port = String(config.server.port);
  const bind = config.server.host;
  if (!isWildcardHost(bind)) add("http:", bracket(bind), port);
  if (isLoopbackHost(bind) || isWildcardHost(bind)) {
    for (const name of LOOPBACK_NAMES) add("http:", name, port);
  }
  for (const extra of config.server.allowed_hosts) {
    const u = new URL(`http://${extra}`);
    add("http:", bracket(u.hostname), u.port || port);
    add("https:", bracket(u.hostname), u.port || "443");
  }
  const exposed = isExposed(config);
  return {
    hosts,
    origins,
    exposed,
    adminToken: exposed ? adminToken : undefined,
    secureCookies: pub.protocol === "https:",
  };
}

/** The `Host` header as the allow-list spells it (lowercase; IPv6 in brackets). */
export function normalizeHost(header: string | null | undefined): string {
  return (header ?? "").trim().toLowerCase().replace(/\.$/, "");
}

function bracket(hostname: string): string {
  return hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
}
