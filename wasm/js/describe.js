// nova-states/describe: everything in the main entry, plus what describes the rules (each
// action's notes and Nova sources, the whole model, the transition graph, paths, DOT and
// Mermaid diagrams) and the batch reader of `GET /servers/detail` text. In the package it is
// one file with one WebAssembly module for everything: scripts/package.mjs binds the main
// entry's API (api.js) to this module's glue, so a page that imports it loads one module.

import {
  actions as actionsGeneral,
  Asker,
  initSync,
  model as modelGeneral,
  shortestPath as shortestPathGeneral,
  toDot as toDotGeneral,
  toMermaid as toMermaidGeneral,
  transitions as transitionsGeneral,
  validateServersJson as validateServersJsonGeneral,
} from './generated/describe-glue.js';
import { WASM_DEFLATED, WASM_SIZE } from './generated/describe-wasm.js';
import { moduleBytes, opaque } from './shared.js';

import { usePolicyEvaluator } from './api.js';

export * from './index.js';

initSync({ module: moduleBytes(WASM_DEFLATED, WASM_SIZE) });
// This module's askers evaluate a deployment's policy overrides exactly (the main module's
// answer Nova's defaults from tables): every entry's checks take options.policy from now on.
usePolicyEvaluator(Asker);

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
  return validateServersJsonGeneral(typeof text === 'string' ? encoder.encode(text) : opaque(text));
}
const encoder = new TextEncoder();
