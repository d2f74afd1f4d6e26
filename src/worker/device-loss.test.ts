import { describe, expect, it } from 'vitest';
import { reviveBackend, watchDeviceLoss, type BackendRegistry } from './device-loss';

/** A fake of tfjs's backend registry: one instance per name, made by its factory on first use. */
function fakeRegistry(opts: { disposeThrows?: boolean } = {}) {
  const factories = new Map<string, { factory: () => unknown; priority: number }>();
  const instances = new Map<string, { id: number; disposed: boolean; dispose(): void }>();
  const calls: string[] = [];
  let active: string | null = null;
  const registry: BackendRegistry = {
    findBackend: (name) => instances.get(name) ?? null,
    findBackendFactory: (name) => factories.get(name)?.factory ?? null,
    removeBackend(name) {
      calls.push(`remove ${name}`);
      if (!factories.has(name)) throw new Error(`${name} backend not found in registry`);
      const inst = instances.get(name);
      if (inst) {
        inst.dispose();
        instances.delete(name);
      }
      factories.delete(name);
      if (active === name) active = null;
    },
    registerBackend(name, factory, priority = 1) {
      calls.push(`register ${name} ${priority}`);
      if (factories.has(name)) return false;
      factories.set(name, { factory, priority });
      return true;
    },
    async setBackend(name) {
      calls.push(`set ${name}`);
      const f = factories.get(name);
      if (!f) return false;
      if (!instances.has(name)) {
        try {
          instances.set(name, (await f.factory()) as never);
        } catch {
          return false;
        }
      }
      active = name;
      return true;
    },
  };
  let made = 0;
  const makeInstance = () => ({
    id: ++made,
    disposed: false,
    dispose() {
      if (opts.disposeThrows) throw new Error('device lost');
      this.disposed = true;
    },
  });
  return { registry, instances, calls, makeInstance, active: () => active };
}

describe('watchDeviceLoss', () => {
  it('reports a loss once, with its message, but not our own destroy()', async () => {
    const seen: string[] = [];
    watchDeviceLoss({ lost: Promise.resolve({ reason: 'unknown', message: 'GPU hang' }) }, (w) =>
      seen.push(w),
    );
    watchDeviceLoss({ lost: Promise.resolve({ reason: 'unknown', message: '' }) }, (w) =>
      seen.push(w),
    );
    watchDeviceLoss({ lost: Promise.resolve({ reason: 'destroyed', message: 'bye' }) }, (w) =>
      seen.push(w),
    );
    watchDeviceLoss(undefined, (w) => seen.push(w));
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(['GPU hang', 'the device went away']);
  });
});

describe('reviveBackend', () => {
  it('removes the lost instance and switches to a fresh one from a new factory', async () => {
    const f = fakeRegistry();
    f.registry.registerBackend('webgpu', f.makeInstance, 3);
    await f.registry.setBackend('webgpu');
    const dead = f.instances.get('webgpu')!;
    f.calls.length = 0;
    const why = await reviveBackend(f.registry, 'webgpu', f.makeInstance, 3);
    expect(why).toBeNull();
    expect(f.calls).toEqual(['remove webgpu', 'register webgpu 3', 'set webgpu']);
    expect(dead.disposed).toBe(true);
    const fresh = f.instances.get('webgpu')!;
    expect(fresh).not.toBe(dead);
    expect(fresh.id).toBe(2);
    expect(f.active()).toBe('webgpu');
  });

  it('says why when the fresh backend cannot start (the caller falls back to WASM)', async () => {
    const f = fakeRegistry();
    f.registry.registerBackend('webgpu', f.makeInstance, 3);
    await f.registry.setBackend('webgpu');
    const why = await reviveBackend(
      f.registry,
      'webgpu',
      () => Promise.reject(new Error('no adapter')),
      3,
    );
    expect(why).toBe('a fresh webgpu backend did not start');
  });

  it('says why when the dead instance cannot be removed', async () => {
    const f = fakeRegistry({ disposeThrows: true });
    f.registry.registerBackend('webgpu', f.makeInstance, 3);
    await f.registry.setBackend('webgpu');
    f.calls.length = 0;
    const why = await reviveBackend(f.registry, 'webgpu', f.makeInstance, 3);
    expect(why).toBe('the lost webgpu backend could not be removed: device lost');
    expect(f.calls).not.toContain('set webgpu');
  });

  it('starts one when none was registered', async () => {
    const f = fakeRegistry();
    expect(await reviveBackend(f.registry, 'webgpu', f.makeInstance, 3)).toBeNull();
    expect(f.calls).toEqual(['register webgpu 3', 'set webgpu']);
  });
});
