/**
 * `npm run gpu-kit [-- --out .gpukit]`: packs `bench:webgpu` (scripts/bench-webgpu.ts) for a GPU
 * machine that has no Node and reaches no registry — such as the device machine some sessions
 * are lent (docs/performance.md#a-real-gpu). The folder holds, x86-64 Linux only:
 *
 * - `bench-webgpu.mjs`: the bench and everything it imports (tfjs, the app's model and world)
 *   bundled by esbuild, with tfjs-backend-wasm's `.wasm` files beside it;
 * - `node.xz`: this machine's Node binary, compressed (run.sh unpacks it, with Python's lzma
 *   where `xz` is missing);
 * - `node_modules/webgpu`: Dawn's Node binding (`webgpu@0.6.2` from npm, its linux-x64
 *   `dawn.node` only, compressed like Node);
 * - `debs/`: the Vulkan loader (`libvulkan1`, amd64), unpacked by run.sh only where the machine
 *   has none;
 * - `run.sh`: unpacks what is needed and runs the bench with its arguments.
 *
 * The folder is git-ignored and about 36 MiB, under the 64 MiB a device call carries:
 * `run` with `carry: [".gpukit"]` and `sh .gpukit/run.sh --json > $OUT/webgpu.json`.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { parseArgs } from './args';

const DAWN = 'webgpu@0.6.2';
const flags = parseArgs(process.argv.slice(2));
const out = String(flags.out ?? '.gpukit');
const require = createRequire(import.meta.url);
const say = (line: string) => console.error(line);

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'debs'), { recursive: true });

// 1. The bench, bundled. tfjs-backend-wasm finds its .wasm files beside `__dirname`, which an
// ES module lacks: the banner defines it (and `require`) as the bundle's own folder.
await build({
  entryPoints: ['scripts/bench-webgpu.ts'],
  outfile: join(out, 'bench-webgpu.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  logLevel: 'warning',
  banner: {
    js: [
      "import { createRequire as __kitRequire } from 'node:module';",
      "import { dirname as __kitDirname } from 'node:path';",
      "import { fileURLToPath as __kitPath } from 'node:url';",
      'const require = __kitRequire(import.meta.url);',
      'const __filename = __kitPath(import.meta.url);',
      'const __dirname = __kitDirname(__filename);',
    ].join('\n'),
  },
});
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
for (const f of readdirSync(join(wasmDir, 'dist')).filter((n) => n.endsWith('.wasm')))
  copyFileSync(join(wasmDir, 'dist', f), join(out, f));
say('bundled the bench');

// 2. Dawn for Node: only what its index.js loads on linux-x64.
const tmp = mkdtempSync(join(tmpdir(), 'gpu-kit-'));
try {
  const tgz = execFileSync('npm', ['pack', DAWN, '--pack-destination', tmp, '--silent'], {
    encoding: 'utf8',
  }).trim();
  execFileSync('tar', ['-xzf', join(tmp, tgz.split('\n').at(-1)!), '-C', tmp]);
  const pkg = join(tmp, 'package');
  const dest = join(out, 'node_modules', 'webgpu');
  mkdirSync(join(dest, 'dist', 'linux-x64'), { recursive: true });
  for (const f of ['package.json', 'index.js', 'LICENSE.md'])
    copyFileSync(join(pkg, f), join(dest, f));
  const dawnNode = join(pkg, 'dist', 'linux-x64', 'dawn.node');
  execFileSync('sh', [
    '-c',
    `xz -T0 -6 -c "${dawnNode}" > "${join(dest, 'dist', 'linux-x64', 'dawn.node.xz')}"`,
  ]);
  say(`packed ${DAWN}`);

  // 3. The Vulkan loader, as the device's README fetches it (amd64 whatever this machine is).
  const lists = join(tmp, 'apt-lists');
  mkdirSync(join(lists, 'partial'), { recursive: true });
  const apt = [
    '-oAPT::Architecture=amd64',
    '-oAPT::Architectures=amd64',
    `-oDir::State::Lists=${lists}`,
  ];
  try {
    execFileSync('apt-get', [...apt, 'update', '-qq'], { stdio: 'ignore' });
    execFileSync('apt-get', [...apt, 'download', '-qq', 'libvulkan1'], {
      cwd: join(out, 'debs'),
      stdio: 'ignore',
    });
    say('downloaded libvulkan1');
  } catch {
    say(
      'could not download libvulkan1 (apt-get): the kit relies on the machine having a Vulkan loader',
    );
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// 4. Node itself, compressed.
execFileSync('sh', ['-c', `xz -T0 -6 -c "${process.execPath}" > "${join(out, 'node.xz')}"`]);
say(`compressed ${process.execPath} (Node ${process.version})`);

// 5. The runner.
writeFileSync(
  join(out, 'run.sh'),
  `#!/bin/sh
# Runs bench:webgpu from this kit (scripts/gpu-kit.ts): sh run.sh [--json] [--videos 20000,1000000] …
set -e
cd "$(dirname "$0")"
unxz() {
  [ -f "$1" ] && return 0
  if command -v xz >/dev/null; then xz -dc "$1.xz" > "$1"
  else python3 -c "import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1] + '.xz'), open(sys.argv[1],'wb'))" "$1"; fi
}
unxz node && chmod +x node
unxz node_modules/webgpu/dist/linux-x64/dawn.node
if ! ldconfig -p | grep -q 'libvulkan.so.1'; then
  for f in debs/*.deb; do [ -f "$f" ] && dpkg -x "$f" /; done
  ldconfig
fi
nv=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "$VK_DRIVER_FILES" ] && [ -z "$VK_ICD_FILENAMES" ] && [ -f "$nv" ]; then export VK_DRIVER_FILES="$nv"; fi
WEBGPU_MODULE="$PWD/node_modules/webgpu/index.js" exec ./node bench-webgpu.mjs "$@"
`,
);

const size = (p: string): number =>
  statSync(p).isDirectory()
    ? readdirSync(p).reduce((s, f) => s + size(join(p, f)), 0)
    : statSync(p).size;
console.log(`wrote ${out} (${(size(out) / 2 ** 20).toFixed(1)} MiB): sh ${out}/run.sh --json`);
