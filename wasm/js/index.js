// nova-states: which server actions OpenStack Nova accepts, and why not.
//
// The package's main entry: the checks and validation a dashboard needs, over the main
// WebAssembly module, inlined and instantiated on import (no set-up call, no .wasm file to
// find). The descriptive parts come from 'nova-states/describe'. See api.js.

import { bindApi } from './api.js';
import {
  allowedBits,
  argumentError,
  checkGeneral,
  codesDigest,
  decide,
  decideAll,
  denialTemplate,
  explainRecord,
  initSync,
  microversion,
  parseName,
  parsePowerCode,
  release,
  releaseForMax,
  statesForStatus as statesForStatusGeneral,
  statusCode,
  transitionalCodes,
  validateCodes,
  validateGeneral,
} from './generated/glue.js';
import { WASM_DEFLATED } from './generated/wasm.js';

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
