// Completes pkg/ after wasm-pack: package.json with the export conditions (Node loads the
// .wasm synchronously from disk; browsers and bundlers use the async init()), the entries and
// their types, and the package README. Run by scripts/build.sh.
import { readFileSync, writeFileSync, existsSync, rmSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const need = ['nova_states.js', 'nova_states.d.ts', 'nova_states_bg.wasm'];
for (const file of need) {
  if (!existsSync(join(pkg, file))) throw new Error(`pkg/${file} is missing: run wasm-pack first (scripts/build.sh)`);
}

// The version, description and licence come from the core crate's Cargo.toml.
const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const packageSection = cargo.split(/^\[/m).find((s) => s.startsWith('package]')) ?? '';
const field = (name) => {
  const m = packageSection.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm'));
  if (!m) throw new Error(`Cargo.toml [package] has no ${name}`);
  return m[1];
};

// wasm-bindgen types the raw wasm exports (InitOutput, nova_states_bg.wasm.d.ts) with `any`
// for externref slots; `unknown` is the honest type and keeps the public .d.ts free of `any`.
for (const file of ['nova_states.d.ts', 'nova_states_bg.wasm.d.ts']) {
  const path = join(pkg, file);
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.replace(/^(\s*(?:readonly|export const) .*)$/gm, (line) => line.replace(/\bany\b/g, 'unknown')));
}

// A trailing Option<JsValue> parameter with an unchecked_param_type comes out required;
// mark the optional ones (options, the task state of statusOf) optional as they are at runtime.
{
  const path = join(pkg, 'nova_states.d.ts');
  const text = readFileSync(path, 'utf8')
    .replace(/\b(options|task_state): (CheckOptions|PathOptions|TaskState \| null)\)/g, '$1?: $2)');
  writeFileSync(path, text);
}

// wasm-pack's .gitignore would keep `npm pack` from seeing the files; package.json "files" rules.
rmSync(join(pkg, '.gitignore'), { force: true });

// The entry: wasm-bindgen's module, with `checkAction` and `allowedActions` answered by
// fast.js (the binding's JS half) when the call is well formed, and by the wasm-bindgen
// export of the same name otherwise. A per-call function that goes straight to fast.js
// skips the externref bookkeeping of a wasm-bindgen export, which costs more than the check.
const snippetDir = readdirSync(join(pkg, 'snippets')).find((d) => existsSync(join(pkg, 'snippets', d, 'src', 'fast.js')));
if (!snippetDir) throw new Error('pkg/snippets/*/src/fast.js is missing');
writeFileSync(
  join(pkg, 'index.js'),
  `// Entry of nova-states: the wasm-bindgen module, with the per-call hot paths in fast.js.
import { checkAction as checkGeneral, allowedActions as allowedGeneral } from './nova_states.js';
import { check_fast, allowed_fast } from './snippets/${snippetDir}/src/fast.js';

export * from './nova_states.js';
export { default } from './nova_states.js';

/** See \`checkAction\` in nova_states.d.ts. */
export function checkAction(action, server, options) {
  const verdict = check_fast(action, server, options);
  return verdict === undefined ? checkGeneral(action, server, options) : verdict;
}

/** See \`allowedActions\` in nova_states.d.ts. */
export function allowedActions(server, options) {
  const names = allowed_fast(server, options);
  return names === undefined ? allowedGeneral(server, options) : names;
}
`,
);

const manifest = {
  name: 'nova-states',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  keywords: ['openstack', 'nova', 'state-machine', 'wasm', 'webassembly'],
  type: 'module',
  main: './node.js',
  module: './index.js',
  types: './nova_states.d.ts',
  exports: {
    '.': {
      types: './nova_states.d.ts',
      node: './node.js',
      default: './index.js',
    },
    './nova_states_bg.wasm': './nova_states_bg.wasm',
    './package.json': './package.json',
  },
  files: ['index.js', 'nova_states.js', 'nova_states.d.ts', 'nova_states_bg.wasm', 'nova_states_bg.wasm.d.ts', 'snippets/', 'node.js', 'node.d.ts', 'README.md'],
  // Importing the browser entry has no effect until init() is called; the Node entry
  // instantiates the module on import, which must not be dropped.
  sideEffects: ['./node.js'],
  engines: { node: '>=18' },
};
writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');

// The Node entry: instantiate synchronously from disk, so `import { checkAction } from
// 'nova-states'` works with no await; a default init() that resolves at once keeps code
// written for browsers (`await init()`) working unchanged.
writeFileSync(
  join(pkg, 'node.js'),
  `// Node entry of nova-states: loads the WebAssembly module synchronously from disk.
import { readFileSync } from 'node:fs';
import { initSync } from './nova_states.js';

const module = new WebAssembly.Module(readFileSync(new URL('./nova_states_bg.wasm', import.meta.url)));
initSync({ module });

export * from './index.js';

/** Already initialised on import; kept so code written for browsers (\`await init()\`) runs unchanged. */
export default async function init() {}
`,
);
writeFileSync(
  join(pkg, 'node.d.ts'),
  `export * from './nova_states.js';
/** Already initialised on import in Node; resolves at once. */
export default function init(): Promise<void>;
`,
);

writeFileSync(
  join(pkg, 'README.md'),
  `# nova-states

OpenStack Nova's instance states and server-action rules, exact and as data: whether Nova
would accept an action on a server, and Nova's own reason when it would not.

\`\`\`js
import init, { checkAction, allowedActions } from 'nova-states';

await init(); // browsers and bundlers fetch the .wasm here; in Node it resolves at once

const server = { 'OS-EXT-STS:vm_state': 'stopped', 'OS-EXT-STS:task_state': null, locked: false };
const verdict = checkAction('pause', server);
verdict.allowed;             // false
verdict.denials[0].message;  // "Cannot 'pause' instance <uuid> while it is in vm_state stopped"
allowedActions(server);      // ['start', 'reboot_hard', 'rescue', 'resize', ...]
\`\`\`

One package for every environment: Node (the \`node\` export condition loads the module
synchronously), browsers without a bundler (\`<script type="module">\` importing
\`index.js\`, then \`await init()\`), and bundlers such as Vite and webpack 5 (the \`.wasm\`
is exported as \`nova-states/nova_states_bg.wasm\`).

Functions: \`vmStates\`, \`taskStates\`, \`statuses\`, \`powerStates\`, \`actions\`, \`parseVmState\`,
\`parseTaskState\`, \`parsePowerState\`, \`parseStatus\`, \`checkAction\`, \`allowedActions\`,
\`statusOf\`, \`statesForStatus\`, \`transitions\`, \`shortestPath\`, \`validateServer\`,
\`validateServers\`, \`validateServersJson\`, \`toDot\`, \`toMermaid\`, \`model\`; every one is typed
in \`nova_states.d.ts\`. Bad input throws a \`TypeError\` or \`RangeError\` whose \`code\` is one of
\`ERR_NOVA_UNKNOWN_NAME\`, \`ERR_NOVA_OUT_OF_RANGE\`, \`ERR_NOVA_MALFORMED\`,
\`ERR_NOVA_INVALID_ARG_TYPE\`, and whose message names the bad value and what was expected.

The rules were read from \`openstack/nova\` at commit 00a030403f67 (microversion 2.104).
Licence: Apache-2.0.
`,
);
console.log(`[package] pkg/package.json nova-states@${manifest.version}`);
