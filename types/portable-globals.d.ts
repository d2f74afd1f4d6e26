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
