/**
 * The state shared by every route module of the sandbox.
 *
 * @module
 */
import type { Logger } from "../lib/log/mod.ts";
import type { Clock } from "../lib/time/mod.ts";
import { ContractIndex, generateContracts, type SandboxContract } from "./contract/data.ts";
import { FaultController } from "./faults.ts";
import { HangRegistry } from "./_hangs.ts";
import { Journal } from "./journal.ts";
import type { ResolvedSandboxOptions, SandboxAppCredential } from "./options.ts";
import { RateLimiter } from "./rate_limits.ts";
import { SessionStore } from "./clm/sessions.ts";
import { TokenStore } from "./auth/tokens.ts";

/** Everything the sandbox's routes read and change. */
export interface SandboxState {
  /** Resolved options. */
  readonly options: ResolvedSandboxOptions;
  /** Time source. */
  readonly clock: Clock;
  /** Request logger. */
  readonly logger: Logger;
  /** The generated contracts, in generation order. */
  readonly contracts: readonly SandboxContract[];
  /** Lookups over {@linkcode SandboxState.contracts}. */
  readonly contractIndex: ContractIndex;
  /** Issued tenant/app tokens. */
  readonly tokens: TokenStore;
  /** Valid CLM sessions. */
  readonly sessions: SessionStore;
  /** Request journal. */
  readonly journal: Journal;
  /** Fault knobs. */
  readonly faults: FaultController;
  /** Rate limits. */
  readonly rateLimits: RateLimiter;
  /** Requests held by latency/hang faults. */
  readonly hangs: HangRegistry;
  /**
   * Scopes enabled on the apps (field scopes decide which user fields
   * answers carry); change it at run time, `reset()` restores the option.
   */
  readonly appScopes: Set<string>;
  /** The app with this id, if known. */
  app(appId: string): SandboxAppCredential | undefined;
  /**
   * State owned by route families added on top of the core (keyed by family
   * name, e.g. `"export"`, `"meeting"`); each family creates its own lazily.
   */
  readonly families: Map<string, unknown>;
  /** Run `fn` on every {@linkcode SandboxState.reset} (families reset their own state). */
  onReset(fn: () => void): void;
  /**
   * Back to a fresh start (data set unchanged): tokens forgotten, sessions
   * restored, faults cleared and re-seeded, hangs released, rate-limit
   * windows and journal cleared.
   */
  reset(): void;
}

/** Build the shared state from resolved options. */
export function createState(options: ResolvedSandboxOptions): SandboxState {
  const clock = options.clock;
  const contracts = generateContracts(options.seed, options.contractCount);
  const tokens = new TokenStore(clock, options.tokenLifetimeSec);
  const sessions = new SessionStore(options.sessions);
  const hangs = new HangRegistry();
  const journal = new Journal(options.journalLimit);
  const faults = new FaultController({ seed: options.seed, tokens, sessions, hangs });
  const rateLimits = new RateLimiter(clock, options.rateLimits);
  const resetHooks: (() => void)[] = [];
  const appScopes = new Set(options.appScopes);
  return {
    options,
    clock,
    logger: options.logger,
    contracts,
    contractIndex: new ContractIndex(contracts),
    tokens,
    sessions,
    journal,
    faults,
    rateLimits,
    hangs,
    appScopes,
    app: (appId) => options.apps.find((a) => a.appId === appId),
    families: new Map(),
    onReset: (fn) => void resetHooks.push(fn),
    reset() {
      faults.reset();
      tokens.clear();
      sessions.restore();
      rateLimits.resetCounters();
      journal.clear();
      appScopes.clear();
      for (const s of options.appScopes) appScopes.add(s);
      for (const fn of resetHooks) fn();
    },
  };
}
