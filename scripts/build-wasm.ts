/** `npm run build:wasm`: assembles src/model/wasm/*.wat into their `*-wasm.ts` carriers. */
import { writeFileSync } from 'node:fs';
import { assemble, carrier, WASM_MODULES } from './wasm-assemble';

for (const { wat, ts } of WASM_MODULES) {
  const bytes = await assemble(wat);
  writeFileSync(ts, carrier(wat, bytes));
  console.log(`${wat} → ${ts} (${bytes.length} bytes)`);
}
