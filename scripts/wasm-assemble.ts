/**
 * Assembles the project's hand-written WebAssembly (src/model/wasm/*.wat) with wabt, the
 * WebAssembly Binary Toolkit's own assembler compiled to JavaScript. `npm run build:wasm`
 * writes each module's bytes, base64, into the `*-wasm.ts` beside its source; the unit test
 * src/model/wasm/wasm-sources.test.ts assembles them again and compares, so the committed bytes
 * cannot drift from the source.
 */
import { readFileSync } from 'node:fs';
import wabt from 'wabt';

/** The modules: WAT source and the TypeScript file that carries its bytes. */
export const WASM_MODULES = [
  { wat: 'src/model/wasm/nearest-row.wat', ts: 'src/model/wasm/nearest-row-wasm.ts' },
  { wat: 'src/model/wasm/sparse-table.wat', ts: 'src/model/wasm/sparse-table-wasm.ts' },
];

/** The binary of the WAT file at `path` (SIMD enabled, no names). */
export async function assemble(path: string): Promise<Uint8Array> {
  const w = await wabt();
  const module = w.parseWat(path, readFileSync(path, 'utf8'), { simd: true });
  try {
    module.resolveNames();
    module.validate();
    return module.toBinary({ canonicalize_lebs: true }).buffer;
  } finally {
    module.destroy();
  }
}

/** The TypeScript module that carries `bytes` assembled from `wat`. */
export function carrier(wat: string, bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  const lines = b64.match(/.{1,96}/g) ?? [];
  return (
    `/**\n * The bytes of ${wat}, base64 (assembled by \`npm run build:wasm\`; do not edit: a unit\n` +
    ` * test assembles the source again and compares).\n */\n` +
    `export const WASM_BASE64 =\n` +
    lines.map((l, i) => `  '${l}'${i === lines.length - 1 ? ';' : ' +'}`).join('\n') +
    '\n'
  );
}
