// Imported before nova-states, so evaluated first: the moment the consumer starts importing.
export const t0 = performance.now();
