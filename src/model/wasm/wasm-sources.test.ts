import { describe, expect, it } from 'vitest';
import { assemble, carrier, WASM_MODULES } from '../../../scripts/wasm-assemble';
import { readFileSync } from 'node:fs';

describe('hand-written WebAssembly', () => {
  for (const { wat, ts } of WASM_MODULES)
    it(`${ts} carries the bytes of ${wat} (run npm run build:wasm after editing it)`, async () => {
      expect(readFileSync(ts, 'utf8')).toBe(carrier(wat, await assemble(wat)));
    });
});
