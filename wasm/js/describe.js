// nova-states/describe: the rules as data, on demand. Everything a dashboard needs to gate
// buttons is in the main entry; this one adds what describes the rules (each action's notes
// and Nova sources, the whole model, the transition graph, paths, DOT and Mermaid diagrams)
// and the batch reader of `GET /servers/detail` text. It carries its own WebAssembly module,
// so importing it costs nothing until a page does.

import {
  actions as actionsGeneral,
  codesDigest,
  initSync,
  model as modelGeneral,
  shortestPath as shortestPathGeneral,
  toDot as toDotGeneral,
  toMermaid as toMermaidGeneral,
  transitions as transitionsGeneral,
  validateServersJson as validateServersJsonGeneral,
} from './generated/describe-glue.js';
import { DIGEST } from './generated/codes.js';
import { WASM_HEX } from './generated/describe-wasm.js';
import { hexBytes, opaque } from './shared.js';

initSync({ module: hexBytes(WASM_HEX) });
if (codesDigest() !== DIGEST) {
  throw new Error('nova-states: the code tables and the WebAssembly module come from different builds; reinstall the package');
}

/** Every action's rules as data: REST names, minimum microversion, accepted states, checks,
 * what it sets and where it ends, its notes and summary, and where Nova defines it. */
export const actions = () => actionsGeneral();

/** Everything the library knows as one value: states, statuses, the status map, every rule,
 * the transition graph. */
export const model = () => modelGeneral();

/** Every edge of the vm-state graph: the action that makes it and the task state shown meanwhile. */
export const transitions = () => transitionsGeneral();

/** The shortest sequence of actions taking a server from vm state `from` to `to` under
 * `options`: `[]` when they are equal, `null` when no sequence gets there. */
export const shortestPath = (from, to, options) => shortestPathGeneral(opaque(from), opaque(to), opaque(options));

/** The vm-state graph in Graphviz DOT, edges allowed under `options`. */
export const toDot = (options) => toDotGeneral(opaque(options));

/** The vm-state graph as a Mermaid flowchart, edges allowed under `options`. */
export const toMermaid = (options) => toMermaidGeneral(opaque(options));

/** Validates every server of a raw `GET /servers/detail` response text (`{"servers": [...]}`)
 * or a JSON array of servers without building the whole JSON tree: one result per server. */
export const validateServersJson = (text) => validateServersJsonGeneral(opaque(text));
