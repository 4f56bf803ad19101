// Imported before nova-states so that it is evaluated first: the moment the consumer's modules
// start. A page sets window.__t0 in an inline script in <head> to count loading the bundle too.
export const t0 = globalThis.__t0 ?? performance.now();
