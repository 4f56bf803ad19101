// The types of nova-states/describe: the packaging step prepends the generated unions of
// Nova's names and the main entry's declarations (index.d.ts), which this entry exports too.

/** One REST entry of an action. */
export interface RestInfo {
  name: RestEntry;
  minMicroversion: string;
  maxMicroversion: string | null;
  /** The action name in its 409 texts, if it returns them. */
  conflictName: string | null;
  /** The releases that have it, oldest first. */
  releases: ReleaseName[];
  /** The handler in Nova. */
  source: string;
}

/** Where an action ends. */
export interface EndInfo {
  from: VmState | null;
  to: VmState;
  when: string;
}

/** One action's rules, as data. */
export interface ActionInfo {
  name: ActionName;
  rest: RestInfo[];
  minMicroversion: string;
  /** The checks in Nova's order. */
  checks: ("locked" | "host" | "vm_state" | "task_state" | "launched_at")[];
  /** Accepted vm states. */
  vmStates: VmState[];
  /** vm states accepted only from a microversion on (a REST handler's own check). */
  vmStatesSince: { vmStates: VmState[]; microversion: string }[];
  /** Accepted task states (`null` = no task); `null` when every task state is accepted. */
  taskStates: (TaskState | null)[] | null;
  checksLock: boolean;
  needsHost: boolean;
  /** vm states in which the host check does not apply. */
  hostNotNeededIn: VmState[];
  needsLaunched: boolean;
  /** Task state set when it starts. */
  setsTask: TaskState | null;
  /** Task states the compute service moves through afterwards, in order. */
  laterTasks: TaskState[];
  /** vm state after success; empty when unchanged. */
  ends: EndInfo[];
  summary: string;
  notes: string;
  source: string;
}

/** One edge of the vm-state graph. */
export interface Transition {
  from: VmState;
  to: VmState;
  action: ActionName;
  /** The task state shown while the action runs. */
  via: TaskState | null;
  /** When this outcome applies, if not always (empty otherwise). */
  when: string;
}

/** The start's facts for a path, or every state's for a drawn graph, with a plain server's names. */
export interface PathOptions {
  /** An admin may act on a locked server. Default `false`. */
  admin?: boolean;
  /** `"2.N"` or `"latest"`; default the newest the release serves. */
  microversion?: string;
  /** The Nova release whose rules apply; default the newest. */
  release?: ReleaseName | (string & {});
  /** The cloud's maximum microversion, which selects the release. */
  maxMicroversion?: string;
  /** Whether the server is (and stays) locked. Default `false`. */
  locked?: boolean;
  /** The task running at the start; `null` or left out: none. Later steps run none. */
  taskState?: TaskState | null;
  /** Whether it was ever launched; left out: as the state implies (not while building). */
  launched?: boolean | null;
  /** Its compute host; `null`, `false` or `""`: none; left out: as the state implies. */
  host?: string | boolean | null;
}

/** Everything the library knows, as one value. */
export interface Model {
  /** The releases whose rules it holds, oldest first; the newest is the default. */
  releases: { name: ReleaseName; novaVersion: string; maxMicroversion: string }[];
  maxMicroversion: string;
  vmStates: VmState[];
  taskStates: TaskState[];
  powerStates: { code: number; name: PowerStateName }[];
  statuses: Status[];
  statusMap: { vmState: VmState; default: Status; overrides: [TaskState, Status][] }[];
  actions: ActionInfo[];
  transitions: Transition[];
  [key: string]: unknown;
}

/** Every action's rules as data. @example actions().find((a) => a.name === 'evacuate').notes */
export declare function actions(): ActionInfo[];
/** Everything the library knows, as one value. @example model().statusMap */
export declare function model(): Model;
/** Every edge of the vm-state graph. @example transitions().filter((t) => t.from === 'active') */
export declare function transitions(): Transition[];
/**
 * The shortest sequence of actions from vm state `from` to `to`, every step one Nova accepts
 * under the facts at that step: the start's from `options`, then no task, launched, the same
 * lock and the host each step leaves. `[]` when equal, `null` when no sequence gets there.
 * @throws {RangeError | TypeError} for unknown states or bad options
 * @example shortestPath('stopped', 'shelved_offloaded'); // ['shelve']
 */
export declare function shortestPath(from: VmState, to: VmState, options?: PathOptions): ActionName[] | null;
/** The vm-state graph in Graphviz DOT. @throws {TypeError | RangeError} for bad options @example toDot({ locked: true }) */
export declare function toDot(options?: PathOptions): string;
/** The vm-state graph as a Mermaid flowchart. @throws {TypeError | RangeError} for bad options @example toMermaid() */
export declare function toMermaid(options?: PathOptions): string;
/**
 * Validates every server of a raw `GET /servers/detail` response text without building the
 * whole JSON tree: one result per server.
 * @throws {TypeError} when the text is not such JSON (`ERR_NOVA_MALFORMED`), naming where it breaks
 * @example validateServersJson(await response.text());
 */
export declare function validateServersJson(text: string): Validation[];
