// nova-states/describe: everything in the main entry, plus what describes the rules (each
// action's notes and Nova sources, the whole model, the transition graph, paths, DOT and
// Mermaid diagrams) and the batch reader of `GET /servers/detail` text. It carries its own,
// larger WebAssembly module: a dashboard that only gates buttons imports 'nova-states' and never
// loads it; a page that also draws or explains the rules imports this entry alone.

import { bindApi } from './api.js';
import {
  allowedBits,
  actions as actionsGeneral,
  argumentError,
  checkGeneral,
  codesDigest,
  decide,
  decideAll,
  denialTemplate,
  explainRecord,
  initSync,
  microversion,
  model as modelGeneral,
  parseName,
  parsePowerCode,
  release,
  releaseForMax,
  shortestPath as shortestPathGeneral,
  statesForStatus as statesForStatusGeneral,
  statusCode,
  toDot as toDotGeneral,
  toMermaid as toMermaidGeneral,
  transitionalCodes,
  transitions as transitionsGeneral,
  validateCodes,
  validateGeneral,
  validateServersJson as validateServersJsonGeneral,
} from './generated/describe-glue.js';
import { WASM_DEFLATED } from './generated/describe-wasm.js';
import { opaque } from './shared.js';

export { ACTION_NAMES, RELEASE_NAMES, STATUSES, TASK_STATES, VM_STATES } from './api.js';

export const {
  checkAction,
  allowedActions,
  actionsFor,
  createChecker,
  isTransitional,
  isServerRecord,
  validateServer,
  validateServers,
  vmStates,
  taskStates,
  statuses,
  powerStates,
  parseVmState,
  parseTaskState,
  parseStatus,
  parsePowerState,
  statusOf,
  statesForStatus,
} = bindApi(
  // Named, not a namespace object, so the bundler drops the glue's fetching init().
  { allowedBits, argumentError, checkGeneral, codesDigest, decide, decideAll, denialTemplate, explainRecord, initSync, microversion, parseName, parsePowerCode, release, releaseForMax, statesForStatus: statesForStatusGeneral, statusCode, transitionalCodes, validateCodes, validateGeneral },
  WASM_DEFLATED,
);

/** Every action's rules as data: REST names, minimum microversion, accepted states, checks,
 * what it sets and where it ends, its notes and summary, and where Nova defines it. */
export const actions = () => actionsGeneral();

/** Everything the library knows as one value: states, statuses, the status map, every rule,
 * the transition graph. */
export const model = () => modelGeneral();

/** Every edge of the vm-state graph: the action that makes it and the task state shown meanwhile. */
export const transitions = () => transitionsGeneral();

/** The shortest sequence of actions taking a server from vm state `from` to `to`, every step
 * one Nova accepts under the facts at that step (the start's from `options`): `[]` when they
 * are equal, `null` when no sequence gets there. */
export const shortestPath = (from, to, options) => shortestPathGeneral(opaque(from), opaque(to), opaque(options));

/** The vm-state graph in Graphviz DOT, edges allowed under `options`. */
export const toDot = (options) => toDotGeneral(opaque(options));

/** The vm-state graph as a Mermaid flowchart, edges allowed under `options`. */
export const toMermaid = (options) => toMermaidGeneral(opaque(options));

/** Validates every server of a raw `GET /servers/detail` response text (`{"servers": [...]}`)
 * or a JSON array of servers without building the whole JSON tree: one result per server. */
export function validateServersJson(text) {
  if (typeof text !== 'string') throw argumentError('text', 'the JSON text of a servers response', opaque(text));
  return validateServersJsonGeneral(encoder.encode(text));
}
const encoder = new TextEncoder();
