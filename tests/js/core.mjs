// The Rust core's own check and validation, which the tests hold the package's answers equal
// to: `checkRecord(action, values, options)` and `validateRecord(values)` (values as
// values.mjs reads them), from the tests' own module (the `core-check` feature, built by
// scripts/build.sh into wasm/js/generated/core-glue.js and core.wasm). The package never
// carries them.
import { readFileSync } from 'node:fs';
import { initSync } from '../../wasm/js/generated/core-glue.js';

initSync({ module: readFileSync(new URL('../../wasm/js/generated/core.wasm', import.meta.url)) });

export { checkRecord, validateRecord } from '../../wasm/js/generated/core-glue.js';
