// The one place the page imports nova-states from. The checks come from the main entry, which
// the page loads at once; the descriptive parts (the path finder, the DOT and Mermaid exports,
// the whole model) and a pasted policy's exact evaluation come from nova-states/describe, loaded
// the first time one is asked for. Until then the page answers from the main entry, and the
// diagram's data was taken from the package at build time (layout.generated.json).
import * as main from 'nova-states';

let api = main;
let loading = null;

/** Loads nova-states/describe (once); from then on every answer comes from it. */
export function describe() {
  loading ??= import('nova-states/describe').then((d) => {
    api = d;
    return d;
  });
  return loading;
}

/** Whether nova-states/describe is loaded. */
export const describeLoaded = () => api !== main;

export const vmStates = () => api.vmStates();
export const taskStates = () => api.taskStates();
export const createChecker = (options) => api.createChecker(options);
export const statusOf = (vm, task) => api.statusOf(vm, task);
export const validateServers = (servers) => api.validateServers(servers);
// These need nova-states/describe: call describe() first.
export const shortestPath = (from, to, options) => api.shortestPath(from, to, options);
export const toDot = (options) => api.toDot(options);
export const toMermaid = (options) => api.toMermaid(options);
export const model = () => api.model();
