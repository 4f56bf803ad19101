// The one place the page imports nova-states from: when the package moves its descriptive
// functions (model, transitions, shortestPath, toDot, toMermaid) to 'nova-states/describe',
// repoint them here and nothing else changes.
export {
  default as init, vmStates, taskStates, actions, transitions, checkAction, allowedActions, statusOf,
  statesForStatus, shortestPath, validateServer, validateServers, toDot, toMermaid, model,
} from 'nova-states';
