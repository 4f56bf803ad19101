// Where the main module's floor is: the module built again with only some of its exports, so
// that the linker keeps only what those reach, each gzipped beside the whole. It answers "what
// does deciding alone weigh, what do the names, the caller, the words and the errors add", and
// with the JS the default import bundles, what the smallest default import of this layout is.
//
//   node bench/floor.mjs        (after scripts/build.sh; takes a few minutes: five builds)
//
// Each variant is a copy of the crate in target/floor/src-NAME whose wasm/src/lean.rs loses the
// `#[wasm_bindgen]` of the exports it leaves out; nothing in the repository is edited.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { DASHBOARD, withoutModule } from './entries.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'target', 'floor');
const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.HOME}/.cargo/bin:${process.env.PATH}`, CARGO_TARGET_DIR: join(work, 'target') };
const FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// What each variant exports: free functions by name, and the Asker class with or without the
// methods it lists as left out (null: no Asker at all).
const VARIANTS = [
  { name: 'decide', note: 'decide/decideAll for nobody in particular', free: ['decide', 'decide_all'], asker: null },
  { name: 'names', note: '+ nameTables (the names JS turns into codes)', free: ['decide', 'decide_all', 'name_tables'], asker: null },
  { name: 'caller', note: '+ the Asker: credentials and default policy, no words', free: ['decide', 'decide_all', 'name_tables'], asker: ['denialsText'] },
  { name: 'words', note: "+ denialsText (every refusal's words)", free: ['decide', 'decide_all', 'name_tables'], asker: [] },
  { name: 'everything', note: '+ errors, parsers, validation (as shipped)', free: null, asker: [] },
];

/** lean.rs with only the variant's exports. */
function leanSource(source, { free, asker }) {
  const lines = source.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim().startsWith('#[wasm_bindgen')) {
      out.push(line);
      continue;
    }
    let next = i + 1;
    while (lines[next].trim().startsWith('#[')) next++;
    const item = lines[next];
    const inImpl = item.startsWith('    ');
    if (inImpl) {
      const jsName = line.match(/js_name = (\w+)/)?.[1];
      if (asker !== null && jsName && asker.includes(jsName)) {
        // Leave the method out, with its doc comment and attributes.
        while (out.length && /^\s*(\/\/\/|#\[)/.test(out.at(-1))) out.pop();
        while (lines[next] !== '    }') next++;
        i = next;
        continue;
      }
      if (asker !== null) out.push(line);
      continue;
    }
    if (/^(pub struct|impl) Asker/.test(item)) {
      if (asker !== null) out.push(line);
      continue;
    }
    const fn = item.match(/^pub fn (\w+)/)?.[1];
    if (free === null || (fn && free.includes(fn))) out.push(line);
  }
  return out.join('\n');
}

function buildVariant(variant) {
  const dir = join(work, `src-${variant.name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const path of ['Cargo.toml', 'Cargo.lock', 'README.md', 'src', 'wasm/Cargo.toml', 'wasm/build.rs', 'wasm/src']) cpSync(join(root, path), join(dir, path), { recursive: true });
  const lean = join(dir, 'wasm', 'src', 'lean.rs');
  writeFileSync(lean, leanSource(readFileSync(lean, 'utf8'), variant));
  // Unused-code warnings are expected in a copy with exports left out; an error is printed.
  try {
    execFileSync('cargo', ['build', '-q', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'nova-states-wasm', '--features', 'lean'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    process.stderr.write(error.stderr);
    throw error;
  }
  const bound = join(work, `bound-${variant.name}`);
  execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', bound, join(work, 'target', 'wasm32-unknown-unknown', 'release', 'nova_states_wasm.wasm')], { env });
  const wasm = join(bound, 'o.wasm');
  execFileSync('wasm-opt', ['-O3', ...FEATURES, join(bound, 'nova_states_wasm_bg.wasm'), '-o', wasm], { env });
  const bytes = readFileSync(wasm);
  return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
}

// The JS the default import bundles, the module's bytes left out.
const bundle = await build({ stdin: { contents: DASHBOARD, resolveDir: root, loader: 'js' }, bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent' });
const js = gzipSync(Buffer.from(withoutModule(Buffer.from(bundle.outputFiles[0].contents).toString())), { level: 9 }).length;

console.log("the main module with only some exports (wasm-opt -O3, gzip -9), and the sum with the default import's JS");
console.log(`  the JS of the default import, without the module: ${kb(js)}\n`);
for (const variant of VARIANTS) {
  const size = buildVariant(variant);
  console.log(`  ${variant.name.padEnd(11)} ${kb(size.raw).padStart(9)} raw ${kb(size.gz).padStart(8)} gzipped   + the JS ${kb(size.gz + js).padStart(8)}   ${variant.note}`);
}
