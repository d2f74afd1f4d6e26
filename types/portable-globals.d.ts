/**
 * The globals that the page (lib DOM), the workers (lib WebWorker) and Node (@types/node) all
 * provide, declared for the shared pure code (tsconfig.shared.json: src/sim, src/model,
 * src/serve, src/protocol), which sees none of those libs. Only what that code uses; add a
 * global here only if all three environments have it.
 */

/** The high-resolution clock (`performance.now()`), in every environment. */
declare const performance: { now(): number };

/** Schedules `handler` after `ms` milliseconds (the handle differs: number or Timeout). */
declare function setTimeout(handler: (...args: unknown[]) => void, ms?: number): unknown;

/** A deep copy by the structured clone algorithm (plain data, typed arrays, Maps, …). */
declare function structuredClone<T>(value: T): T;

/** Decodes base64 to a binary string (the bytes of the hand-written WebAssembly modules). */
declare function atob(data: string): string;

/**
 * The part of the WebAssembly JavaScript API that src/model/wasm uses (compile a small module
 * synchronously, instantiate it with a memory of its own), in every environment.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  function validate(bytes: Uint8Array): boolean;
}
