// Reads a deployment's policy.yaml in the page. The YAML parser (the `yaml` package) is loaded
// only when a policy is applied, so the first load does not carry it. What comes back is a plain
// object of rule name → check string (or null, or a list, as oslo.policy takes them), ready for
// options.policy; anything else is a message for the person, never code run or HTML parsed.

/** The largest policy text read; Nova's full commented sample is about 200 KB. */
export const MAX_POLICY_TEXT = 2 * 1024 * 1024;
/** The most rules one policy may hold (Nova defines about 500). */
export const MAX_RULES = 20000;

const shown = (s, n = 80) => {
  const t = String(s);
  return t.length > n ? `${t.slice(0, n)}…` : t;
};

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Map) return 'a mapping';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  return typeof v;
}

/** Parses `text`; resolves to `{ ok: true, policy, count }` or `{ ok: false, message }`. */
export async function parsePolicy(text) {
  if (typeof text !== 'string') return { ok: false, message: 'Expected the text of a policy.yaml.' };
  if (text.length > MAX_POLICY_TEXT) {
    return { ok: false, message: `That policy is ${(text.length / 1048576).toFixed(1)} MB; this page reads up to ${MAX_POLICY_TEXT / 1048576} MB.` };
  }
  if (!text.trim()) return { ok: false, message: 'The policy box is empty: paste a policy.yaml, or open one.' };
  let YAML;
  try {
    YAML = await import('yaml');
  } catch (err) {
    return { ok: false, message: `The YAML reader failed to load: ${err?.message ?? err}` };
  }
  let doc;
  try {
    // One document, the core schema (what PyYAML's safe_load reads as plain data), few aliases.
    doc = YAML.parseDocument(text, { schema: 'core', uniqueKeys: true, maxAliasCount: 100, prettyErrors: true, strict: true });
  } catch (err) {
    return { ok: false, message: `Not valid YAML: ${shown(err?.message ?? err, 300)}` };
  }
  if (doc.errors.length) return { ok: false, message: `Not valid YAML: ${shown(doc.errors[0].message, 300)}` };
  let data;
  try {
    data = doc.toJS({ mapAsMap: true, maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, message: `Not valid YAML: ${shown(err?.message ?? err, 300)}` };
  }
  if (data === null || data === undefined) {
    return { ok: false, message: 'This policy.yaml has no rules (everything in it is commented out); the defaults apply.' };
  }
  if (!(data instanceof Map)) {
    return { ok: false, message: `A policy.yaml is a mapping of rule name to check string; this is ${typeName(data)}.` };
  }
  if (data.size > MAX_RULES) return { ok: false, message: `That policy has ${data.size} rules; this page reads up to ${MAX_RULES}.` };
  // A prototype-free object, so a rule named "__proto__" or "constructor" is just a name.
  const policy = Object.create(null);
  for (const [k, v] of data) {
    if (typeof k !== 'string') return { ok: false, message: `Every key is a rule name; found ${typeName(k)} as a key.` };
    const okList = Array.isArray(v) && v.every((x) => typeof x === 'string' || (Array.isArray(x) && x.every((y) => typeof y === 'string')));
    if (!(typeof v === 'string' || v === null || okList)) {
      return { ok: false, message: `The rule "${shown(k)}" is ${typeName(v)}: expected a check string such as "role:reader" (quote it if it contains a colon after a space).` };
    }
    Object.defineProperty(policy, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return { ok: true, policy: { ...policy }, count: data.size, names: [...data.keys()] };
}
