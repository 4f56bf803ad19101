// Assembles the npm package in pkg/ from what scripts/build.sh made: the two WebAssembly
// modules and their wasm-bindgen glue (target/wasm/lean, target/wasm/describe), and the code
// tables and name unions wasm/build.rs generated (wasm/js/generated/). The package's entry
// files are the repository's own wasm/js/*.js, bundled by esbuild into one ESM and one CommonJS
// file per entry (with tiny-inflate's inflater), each with its module's bytes inlined, so no bundler or runtime has to find a
// .wasm file. Run by scripts/build.sh.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const js = join(root, 'wasm', 'js');
const generated = join(js, 'generated');
const pkg = join(root, 'pkg');

const need = (path) => {
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/build.sh`);
  return path;
};

// The version, description and licence come from the core crate's Cargo.toml.
const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const packageSection = cargo.split(/^\[/m).find((s) => s.startsWith('package]')) ?? '';
const field = (name) => {
  const m = packageSection.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm'));
  if (!m) throw new Error(`Cargo.toml [package] has no ${name}`);
  return m[1];
};

// The generated inputs of the entry files: each module's glue and its bytes, deflated.
mkdirSync(generated, { recursive: true });
need(join(generated, 'codes.js'));
need(join(generated, 'abi.js'));
for (const [flavour, prefix] of [['lean', ''], ['describe', 'describe-']]) {
  const dir = join(root, 'target', 'wasm', flavour);
  copyFileSync(need(join(dir, 'nova_states.js')), join(generated, `${prefix}glue.js`));
  // Deflated and in base64: with the small inflater it is about 5 KB (gzipped) smaller than
  // the module as hex, the best plain-text form measured (base64 of the raw bytes breaks gzip's
  // matches: 1.35x; hex 1.09x).
  const bytes = readFileSync(need(join(dir, 'nova_states_bg.wasm')));
  const deflated = deflateRawSync(bytes, { level: 9 }).toString('base64');
  writeFileSync(join(generated, `${prefix}wasm.js`), `// The ${flavour} WebAssembly module, deflated, in base64, and its size (written by scripts/package.mjs).\nexport const WASM_DEFLATED = "${deflated}";\nexport const WASM_SIZE = ${bytes.length};\n`);
}

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);

// The describe entry carries one module for everything: its API (api.js, the same file the
// main entry runs) is bound to the describe module's glue by resolving the main glue's paths
// to the describe ones, so a page that imports nova-states/describe loads one module, not two.
const describeModule = {
  name: 'describe-module',
  setup(b) {
    b.onResolve({ filter: /\/generated\/(glue|wasm)\.js$/ }, (args) => ({
      path: join(generated, `describe-${args.path.endsWith('glue.js') ? 'glue' : 'wasm'}.js`),
    }));
  },
};

// One self-contained file per entry and format. Syntax minified only: names and lines stay for
// the stack traces users read (their bundlers minify the rest), and the code tables' numbers
// (abi.js) are inlined where they are used, which a bundler no longer does once they are
// `var`s of one file.
for (const entry of ['index', 'describe']) {
  for (const [format, ext] of [['esm', 'js'], ['cjs', 'cjs']]) {
    await build({
      plugins: entry === 'describe' ? [describeModule] : [],
      entryPoints: [join(js, `${entry}.js`)],
      outfile: join(pkg, `${entry}.${ext}`),
      bundle: true,
      format,
      platform: 'neutral',
      target: 'es2020',
      legalComments: 'none',
      minifySyntax: true,
      logLevel: 'warning',
      // The glue's fetching init() reads import.meta.url; the entries never call it, so it is
      // dropped, but esbuild warns before it drops it.
      logOverride: { 'empty-import-meta': 'silent' },
      banner: { js: `// nova-states ${field('version')} (${entry}) — built from the repository's wasm/js/${entry}.js; see README.md.` },
    });
  }
}

// The types: the generated unions of Nova's names, then the entry's own declarations; the
// same text serves `import` (.d.ts) and `require` (.d.cts).
// The describe entry has the main entry's declarations too.
const unions = readFileSync(need(join(generated, 'unions.d.ts')), 'utf8');
const declarations = (entry) => readFileSync(join(js, `${entry}.d.ts`), 'utf8').replace(/^(\/\/.*\n)+\n/, '');
for (const entry of ['index', 'describe']) {
  const body = entry === 'index' ? declarations('index') : `${declarations('index')}\n${declarations('describe')}`;
  const text = `// Types of nova-states (${entry}).\n\n${unions}\n${body}`;
  writeFileSync(join(pkg, `${entry}.d.ts`), text);
  writeFileSync(join(pkg, `${entry}.d.cts`), text);
}

const repository = 'https://github.com/nova-states/nova-states';
const manifest = {
  name: 'nova-states',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  keywords: ['openstack', 'nova', 'server', 'state-machine', 'dashboard', 'wasm'],
  repository: { type: 'git', url: `git+${repository}.git` },
  homepage: `${repository}#readme`,
  bugs: { url: `${repository}/issues` },
  type: 'module',
  main: './index.cjs',
  module: './index.js',
  types: './index.d.ts',
  exports: {
    '.': {
      import: { types: './index.d.ts', default: './index.js' },
      require: { types: './index.d.cts', default: './index.cjs' },
    },
    './describe': {
      import: { types: './describe.d.ts', default: './describe.js' },
      require: { types: './describe.d.cts', default: './describe.cjs' },
    },
    './package.json': './package.json',
  },
  sideEffects: false,
  files: ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'describe.js', 'describe.cjs', 'describe.d.ts', 'describe.d.cts', 'README.md', 'LICENSE', 'THIRD_PARTY_NOTICES', 'CHANGELOG.md'],
  engines: { node: '>=18' },
};
writeFileSync(join(pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(join(root, 'wasm', 'README.md'), join(pkg, 'README.md'));
copyFileSync(join(root, 'LICENSE'), join(pkg, 'LICENSE'));
// The entries bundle tiny-inflate's code: its licence travels with them.
const inflaterLicense = readFileSync(need(join(root, 'node_modules', 'tiny-inflate', 'LICENSE')), 'utf8');
writeFileSync(join(pkg, 'THIRD_PARTY_NOTICES'), `The entry files of this package include the code of tiny-inflate 1.0.3, under this licence:\n\n${inflaterLicense}`);
copyFileSync(join(root, 'CHANGELOG.md'), join(pkg, 'CHANGELOG.md'));
