/**
 * A lost WebGPU device (a driver reset, a GPU hang): noticing it and starting a *fresh* backend
 * in its place (docs/tfjs-notes.md, docs/architecture.md#faults). tfjs keeps one instance per
 * registered backend, so switching back to `webgpu` after a loss would hand back the dead
 * instance; {@link reviveBackend} removes it (instance and factory) and registers a new factory,
 * which asks for a new device. Free of browser globals: tfjs (or a fake in tests) is passed in.
 */

/** The part of tfjs that swaps a backend (`tf` itself in the worker, a fake in tests). */
export interface BackendRegistry {
  /** The backend's started instance, else null. */
  findBackend(name: string): unknown;
  /** The backend's registered factory, else null. */
  findBackendFactory(name: string): unknown;
  /** Disposes the instance, if any, and forgets the factory. Throws when none is registered. */
  removeBackend(name: string): void;
  registerBackend(
    name: string,
    factory: () => unknown | Promise<unknown>,
    priority?: number,
  ): boolean;
  /** Starts (once) and switches to the backend; resolves false when it could not start. */
  setBackend(name: string): Promise<boolean>;
}

/** The part of a GPUDevice that tells of its loss. */
export interface LosableDevice {
  lost: Promise<{ reason?: string; message?: string }>;
}

/**
 * Calls `onLost(why)` once when `device` is lost for any reason but our own `destroy()`
 * (reason 'destroyed'). Nothing happens without a device.
 */
export function watchDeviceLoss(
  device: LosableDevice | undefined,
  onLost: (why: string) => void,
): void {
  void device?.lost.then((info) => {
    if (info.reason !== 'destroyed') onLost(info.message || 'the device went away');
  });
}

/**
 * Replaces the backend `name` whose device was lost with a fresh one made by `factory`: the
 * dead instance is removed, `factory` is registered under the same name and priority, and
 * tfjs switches to it. Resolves null when
 * the fresh backend runs, else why it did not (the caller falls back to another backend).
 */
export async function reviveBackend(
  registry: BackendRegistry,
  name: string,
  factory: () => unknown | Promise<unknown>,
  priority: number,
): Promise<string | null> {
  const dead = registry.findBackend(name);
  try {
    if (registry.findBackendFactory(name) !== null) registry.removeBackend(name);
  } catch (e) {
    // A lost device refused to free its buffers: tfjs keeps the dead instance registered.
    return `the lost ${name} backend could not be removed: ${errorText(e)}`;
  }
  if (!registry.registerBackend(name, factory, priority))
    return `a fresh ${name} backend could not be registered`;
  try {
    if (!(await registry.setBackend(name))) return `a fresh ${name} backend did not start`;
  } catch (e) {
    return errorText(e);
  }
  const fresh = registry.findBackend(name);
  if (fresh === dead || fresh == null) return `tfjs kept the lost ${name} backend`;
  return null;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
