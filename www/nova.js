// The one place the page imports nova-states from: the describe entry, which has the checks
// and the descriptive parts over one WebAssembly module.
export {
  vmStates, taskStates, actions, transitions, checkAction, allowedActions, actionsFor, createChecker, statusOf,
  statesForStatus, shortestPath, validateServer, validateServers, toDot, toMermaid, model,
} from 'nova-states/describe';
