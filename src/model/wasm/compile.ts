/**
 * Compiles one of the project's hand-written WebAssembly modules (the `*-wasm.ts` carriers of
 * the `.wat` sources) synchronously, once: the modules are under a kilobyte, which every engine
 * compiles on any thread without `WebAssembly.compile`'s promise.
 */

/**
 * A function returning the compiled module of `base64`, or null where WebAssembly or the SIMD
 * the module uses is missing (validated first; compiled on the first call and remembered).
 */
export function lazyModule(base64: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled !== undefined) return compiled;
    compiled = null;
    try {
      if (typeof WebAssembly === 'object') {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
      }
    } catch {
      compiled = null;
    }
    return compiled;
  };
}
