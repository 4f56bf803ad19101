// nova-states: which server actions OpenStack Nova accepts, and why not.
//
// The package's main entry: the checks and validation a dashboard needs, over the main
// WebAssembly module, inlined and instantiated on import (no set-up call, no .wasm file to
// find). The descriptive parts come from 'nova-states/describe'. See api.js.

export {
  ACTION_NAMES,
  RELEASE_NAMES,
  STATUSES,
  TASK_STATES,
  VM_STATES,
  actionsFor,
  allowedActions,
  checkAction,
  createChecker,
  isServerRecord,
  isTransitional,
  parsePowerState,
  parseStatus,
  parseTaskState,
  parseVmState,
  powerStates,
  statesForStatus,
  statuses,
  statusOf,
  taskStates,
  validateServer,
  validateServers,
  vmStates,
} from './api.js';
