// How the entries load their inlined modules.

import inflate from 'tiny-inflate';

/** The module's `size` bytes from the deflated base64 text the build inlined
 * (scripts/package.mjs), inflated synchronously by tiny-inflate (1.3 KB gzipped; fflate's
 * inflater, measured beside it, 2.0 KB). */
export function moduleBytes(deflated, size) {
  const text = atob(deflated);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return inflate(bytes, new Uint8Array(size));
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
