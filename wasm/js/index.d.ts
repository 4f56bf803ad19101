// The types of nova-states' main entry. The packaging step (scripts/package.mjs) prepends the
// unions of Nova's names that wasm/build.rs writes from the Rust tables (VmState, TaskState,
// Status, ActionName, RestActionName, DenialKind, Reason, DiagnosticCode, RestEntry,
// PowerStateName), so no name is listed here by hand.

/** A server record as Nova's API returns it (`GET /servers/{id}`, an element of
 * `GET /servers/detail`). Keys it lacks are assumed the way Nova most likely has them, and the
 * verdict lists each assumption. Other keys (name, flavor, addresses, …) are ignored, so a
 * dashboard's own server type fits. */
export interface NovaServer {
  id?: string | null;
  status?: string | null;
  "OS-EXT-STS:vm_state"?: string | null;
  "OS-EXT-STS:task_state"?: string | null;
  "OS-EXT-STS:power_state"?: number | null;
  locked?: boolean | null;
  "OS-SRV-USG:launched_at"?: string | null;
  "OS-EXT-SRV-ATTR:host"?: string | null;
  /** The server's project: the policy target when `credentials` are given. */
  tenant_id?: string | null;
  /** The server's user: the policy target when `credentials` are given. */
  user_id?: string | null;
}

/** A server described by its facts alone. */
export interface PlainServer {
  id?: string | null;
  vmState: string;
  taskState?: string | null;
  powerState?: number | string | null;
  locked?: boolean | null;
  launched?: boolean | null;
  host?: string | boolean | null;
  projectId?: string | null;
  userId?: string | null;
}

/** What the checks take: a Nova record with at least a vm state or a status, its
 * `{"server": {...}}` envelope, or the plain form. `{}` is refused at compile time and at run
 * time. */
export type ServerLike =
  | (NovaServer & ({ "OS-EXT-STS:vm_state": string | null } | { status: string | null }))
  | { server: NovaServer }
  | PlainServer;

/** Who asks, through which API microversion, of a cloud running which Nova release. */
export interface CheckOptions {
  /** An admin may act on a locked server. Default `false`. */
  admin?: boolean;
  /** `"2.N"` or `"latest"`; default the newest the release serves. */
  microversion?: string;
  /** The Nova release whose rules apply (`"2024.1"`, or a Nova version such as `"29.4.0"`);
   * default the newest, 2026.2. */
  release?: ReleaseName | (string & {});
  /** The cloud's maximum microversion (the `version` of its `GET /` document), which selects
   * the release; ignored when `release` is given. */
  maxMicroversion?: string;
  /** evacuate: whether the request names a target host. Given (either of these two), the
   * check adds the refusals Nova bases on the request body; left out, the body is not looked at. */
  targetHost?: boolean;
  /** unshelve: whether the request names an availability zone or a host (then the server must
   * be shelved_offloaded). */
  unshelveDestination?: boolean;
  /** unshelve: whether the request names a host (Nova then also checks `unshelve_to_host`). */
  unshelveHost?: boolean;
  /** rebuild: whether the request carries trusted image certificates. */
  trustedCerts?: boolean;
  /** `PUT …/os-volume_attachments/{id}`: an update of the attachment rather than a swap. */
  volumeUpdate?: boolean;
  /** Who locked the server, which `unlock_override` depends on (Nova's record does not say). */
  lockedBy?: "owner" | "admin";
  /** Who asks, from the Keystone token unchanged: with it, every verdict also answers "may this
   * user do it" by Nova's policy (and `admin` is what `context_is_admin` says: do not pass both). */
  credentials?: Credentials;
  /** A deployment's `policy.yaml` as an object: rule name → check string (`null`: always). */
  policy?: Record<string, string | null>;
  /** oslo.policy's `enforce_new_defaults`; default `true`. */
  enforceNewDefaults?: boolean;
  /** oslo.policy's `enforce_scope`; default `true`. `false` (2023.1 to 2026.1; 2026.2's
   * oslo.policy removed the option) lets a token whose scope a rule does not admit be decided by
   * the rule's check string; evaluated by `nova-states/describe`'s checks. */
  enforceScope?: boolean;
}

/** A Keystone token's facts, as the token lists them (roles already expanded by Keystone's
 * implied roles: pass them unchanged). */
export interface Credentials {
  roles: string[];
  projectId?: string | null;
  userId?: string | null;
  systemScope?: "all" | null;
  domainId?: string | null;
}

/** One reason Nova refuses an action. */
export interface Denial {
  /** Which of Nova's checks refused. */
  kind: DenialKind;
  /** The server's value for that check, as Nova prints it (`stopped`, `None`, `True`). */
  actual: string;
  /** The values that check accepts; shared between verdicts, so read-only (frozen). */
  expected: readonly string[];
  /** Why, as a stable code to switch on. */
  reason: Reason;
  /** Why, in a short sentence for a person: no id, no Python values. */
  text: string;
  /** The exact text of the error Nova's API returns. */
  message: string;
  /** The HTTP status Nova's API returns (409, 404, 403, 400, 500). */
  httpStatus: number;
  /** The policy rule that refused it (kind `policy`, reason `policy`). */
  rule?: string;
}

/** A policy rule nova-states cannot decide for the request (an `http:` check, a rule
 * oslo.policy would raise on, `unlock_override` without `lockedBy`): the action may be refused. */
export interface UndecidedRule {
  readonly rule: string;
  readonly reason: "policy-undecided";
  readonly why: "http-check" | "raises" | "locked-by-unknown" | "unsupported";
  readonly text: string;
}

/** A fact the server record lacked, and what was assumed for it. */
export interface Assumption {
  readonly field: string;
  readonly assumed: string;
}

interface VerdictBase {
  /** The compute API method checked (a REST name may reach another method at a microversion). */
  action: ActionName;
  /** The REST entry whose rules and messages applied. */
  rest: RestEntry;
  /** Facts the record lacked and how they were assumed. */
  assumptions: Assumption[];
}

/** Nova would accept the request. */
export interface Allowed extends VerdictBase {
  allowed: true;
  denials: [];
  undecided: [];
}

/** Nova would refuse the request, or may: every failing check, in Nova's order (Nova returns
 * the first). A policy rule that cannot be decided here is a denial with reason
 * `policy-undecided` and is listed in `undecided` too. */
export interface Refused extends VerdictBase {
  allowed: false;
  denials: [Denial, ...Denial[]];
  undecided: UndecidedRule[];
}

/** The answer to "may this action run on this server?": narrow it on `allowed`. */
export type Verdict = Allowed | Refused;

/** One finding about a server record. */
export interface Diagnostic {
  severity: "error" | "warning";
  code: DiagnosticCode;
  message: string;
}

/** The result of validating one server record. */
export interface Validation {
  /** True when no diagnostic is an error. */
  ok: boolean;
  /** The status Nova would show for the record's states (`UNKNOWN` when unreadable). */
  status: Status;
  diagnostics: Diagnostic[];
}

/** Which instances a `?status=` filter selects. */
export interface StatusFilter {
  vmStates: VmState[];
  /** The task states it also requires; `null` when the task state is not looked at. */
  taskStates: TaskState[] | null;
}

/** A power state: Nova's integer code and its name. */
export interface PowerStateInfo {
  code: number;
  name: PowerStateName;
}

/** The `code` of every error this library throws. */
export type ErrorCode = "ERR_NOVA_UNKNOWN_NAME" | "ERR_NOVA_OUT_OF_RANGE" | "ERR_NOVA_MALFORMED" | "ERR_NOVA_INVALID_ARG_TYPE";

/** Every action, in the rules table's order (compute API method names). */
export declare const ACTION_NAMES: readonly ActionName[];
/** The 12 vm states, in Nova's order. */
export declare const VM_STATES: readonly VmState[];
/** Every task state, in Nova's order (no task is `null`, not listed). */
export declare const TASK_STATES: readonly TaskState[];
/** Every API status, `UNKNOWN` included. */
export declare const STATUSES: readonly Status[];
/** The Nova releases whose rules the package knows, oldest first; the newest is the default. */
export declare const RELEASE_NAMES: readonly ReleaseName[];

/**
 * Whether Nova would accept `action` on `server`, and if not, every reason: its kind, a stable
 * reason code, a sentence for a person, and the exact message and HTTP status Nova returns.
 * @param action a compute API method name (`"shelve_offload"`, `"reboot_hard"`) or a REST action
 *   name (`"os-stop"`, `"createImage"`, `"DELETE /servers/{id}"`)
 * @param server a server record as Nova returns it, its `{"server": …}` envelope, or the plain form
 * @param options `admin` (may act on a locked server) and the request's `microversion`
 * @throws {RangeError} an unknown action, vm state, task state or status (code `ERR_NOVA_UNKNOWN_NAME`),
 *   or a microversion Nova does not have (`ERR_NOVA_OUT_OF_RANGE`)
 * @throws {TypeError} an argument or record value of the wrong type (`ERR_NOVA_INVALID_ARG_TYPE`, `ERR_NOVA_MALFORMED`)
 * @example
 * const v = checkAction('os-start', { 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:task_state': null });
 * if (!v.allowed) console.log(v.denials[0].text); // "the server is active; start needs stopped"
 */
export declare function checkAction(action: ActionName | RestActionName | (string & {}), server: ServerLike, options?: CheckOptions): Verdict;

/**
 * The method names of every action Nova would accept on `server`, in table order.
 * @throws {TypeError | RangeError} as `checkAction`
 * @example
 * allowedActions({ vmState: 'stopped' }); // ['start', 'reboot_hard', 'rescue', 'resize', 'rebuild', …]
 */
export declare function allowedActions(server: ServerLike, options?: CheckOptions): ActionName[];

/**
 * Every action with its verdict for `server`, in table order: what a row of buttons needs, in
 * one call.
 * @throws {TypeError | RangeError} as `checkAction`
 * @example
 * for (const { action, verdict } of actionsFor(server)) button(action).disabled = !verdict.allowed;
 */
export declare function actionsFor(server: ServerLike, options?: CheckOptions): { action: ActionName; verdict: Verdict }[];

/** `checkAction`, `allowedActions` and `actionsFor` with the options read once. */
export interface Checker {
  checkAction(action: ActionName | RestActionName | (string & {}), server: ServerLike): Verdict;
  allowedActions(server: ServerLike): ActionName[];
  actionsFor(server: ServerLike): { action: ActionName; verdict: Verdict }[];
}

/**
 * Binds `options` once, for a page that checks many servers with the same caller and microversion.
 * @throws {TypeError | RangeError} for bad options, at once
 * @example
 * const checker = createChecker({ admin: true, microversion: '2.95' });
 * checker.allowedActions(server);
 */
export declare function createChecker(options?: CheckOptions): Checker;

/**
 * Whether Nova is in the middle of something with `server` (a task runs, it is still building,
 * or its status is one Nova shows only during a task): whether a dashboard should poll again.
 * @throws {TypeError | RangeError} for a value that is not a readable server record
 * @example
 * if (isTransitional(server)) setTimeout(refresh, 5000);
 */
export declare function isTransitional(server: ServerLike): boolean;

/**
 * Whether `value` is a server record this library reads; never throws.
 * @example
 * const data: unknown = await response.json();
 * if (isServerRecord(data)) checkAction('pause', data);
 */
export declare function isServerRecord(value: unknown): value is ServerLike;

/**
 * Validates one server record: its values are Nova's, its status agrees with its states, its
 * states are ones Nova would leave it in. Never throws: a bad record gives `ok: false`.
 * @example
 * validateServer({ status: 'ACTIVE', 'OS-EXT-STS:vm_state': 'stopped' }).diagnostics[0].code; // 'status-mismatch'
 */
export declare function validateServer(server: unknown): Validation;

/**
 * Validates every server of an array (the `servers` of `GET /servers/detail`), one result each.
 * @throws {TypeError} when `servers` is not an array
 * @example
 * validateServers(body.servers).filter((v) => !v.ok);
 */
export declare function validateServers(servers: unknown[]): Validation[];

/** The 12 vm states, in Nova's order. @example vmStates()[0]; // 'active' */
export declare function vmStates(): VmState[];
/** Every task state, in Nova's order. @example taskStates().includes('rebooting'); // true */
export declare function taskStates(): TaskState[];
/** Every API status, `UNKNOWN` included. @example statuses().includes('SHUTOFF'); // true */
export declare function statuses(): Status[];
/** Every power state with its integer code. @example powerStates()[1]; // { code: 1, name: 'running' } */
export declare function powerStates(): PowerStateInfo[];

/**
 * A vm state's wire string.
 * @throws {RangeError} naming the input and the nearest valid name (`ERR_NOVA_UNKNOWN_NAME`)
 * @throws {TypeError} for a value that is not a string
 * @example parseVmState('soft-delete'); // 'soft-delete'
 */
export declare function parseVmState(input: string): VmState;
/** A task state's wire string. @throws {RangeError | TypeError} as parseVmState @example parseTaskState('rebooting'); */
export declare function parseTaskState(input: string): TaskState;
/** An API status, exact and upper case. @throws {RangeError | TypeError} as parseVmState @example parseStatus('SHUTOFF'); */
export declare function parseStatus(input: string): Status;
/** A power state by name, code or code as text. @throws {RangeError | TypeError} @example parsePowerState(4); // { code: 4, name: 'shutdown' } */
export declare function parsePowerState(input: string | number): PowerStateInfo;

/**
 * The API status Nova shows for a server in `vmState` with `taskState` running.
 * @throws {RangeError | TypeError} for unknown or non-string states
 * @example statusOf('active', 'rebooting'); // 'REBOOT'
 */
export declare function statusOf(vmState: VmState | (string & {}), taskState?: TaskState | (string & {}) | null): Status;

/**
 * The vm and task states Nova's `?status=` filter selects for `status` (any case).
 * @throws {RangeError | TypeError} for an unknown status
 * @example statesForStatus('REBOOT'); // { vmStates: ['active'], taskStates: ['reboot_pending', …] }
 */
export declare function statesForStatus(status: string): StatusFilter;
