// How the entries load their inlined modules.

import { inflateSync } from 'fflate';

/** The module's bytes from the deflated base64 text the build inlined (scripts/package.mjs),
 * inflated by fflate, synchronously. */
export function moduleBytes(deflated) {
  const text = atob(deflated);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return inflateSync(bytes);
}

const REVOKED = Object.freeze({});

/** A value safe to hand to the module, which describes bad values in its messages: a revoked
 * proxy, which throws when asked whether it is an array, stands in as a plain object. */
export function opaque(value) {
  try {
    Array.isArray(value);
    return value;
  } catch {
    return REVOKED;
  }
}
