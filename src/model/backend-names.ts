/**
 * The tfjs backends this project can train on, declared once (no tfjs import, so the page's
 * menus and the protocol can read it without loading tfjs).
 */

/** tfjs backends, fastest first: the order the page's `auto` tries them in. */
export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** A tfjs backend name. */
export type BackendName = (typeof BACKEND_NAMES)[number];
