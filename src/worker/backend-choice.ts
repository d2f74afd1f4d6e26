/**
 * Picks the tfjs backend in the browser worker: WebGPU first, then WebGL, WASM, CPU.
 *
 * A GPU backend that runs on a *software* device is passed over by default: a WebGPU adapter
 * that reports `isFallbackAdapter` (or the SwiftShader architecture), and a WebGL context
 * whose renderer is SwiftShader / llvmpipe. Measured on the machines this was built on
 * (docs/tfjs-notes.md#software-gpu) such a backend trains 20–40× slower than WASM. Each one passed
 * over is reported with its reason, and the user can force any backend (`backend=webgpu` in the
 * URL); a forced backend that fails to start falls back to the slower ones in order.
 *
 * Browser-only (Vite `?url` imports of the WASM binaries, WebGPU): imported by `worker.ts`,
 * never by Node tests.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { useBackend } from '../model/backend';
import { reviveBackend, watchDeviceLoss } from './device-loss';
import { WEBGPU_PRIORITY, freshWebGpuBackend } from './webgpu-factory';
import type { ChooseBackend } from './training-host';
import { BACKEND_NAMES, type BackendName, type PassedOver } from '../protocol/training';

// The WASM binaries as Vite serves and bundles them (docs/tfjs-notes.md#wasm-binaries): works in
// dev and in a build.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

/** What a probe found out about a GPU backend before starting it. */
interface Probe {
  /** The device exists at all. */
  ok: boolean;
  /** It is a software rasteriser / fallback adapter. */
  software: boolean;
  /** Words for the report ("SwiftShader fallback adapter", a renderer string, or why not). */
  what: string;
}

/** A renderer or architecture name that means "no real GPU". */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** Asks for a WebGPU adapter and whether it is a software fallback. */
async function probeWebGpu(): Promise<Probe> {
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { ok: false, software: false, what: 'WebGPU is not available in this browser' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { ok: false, software: false, what: 'no WebGPU adapter was found' };
    const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
    const fallback =
      (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
    const name = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ');
    const software =
      fallback || SOFTWARE.test(info?.architecture ?? '') || SOFTWARE.test(info?.description ?? '');
    return {
      ok: true,
      software,
      what: software
        ? `a software fallback adapter${name ? ` (${name})` : ''}`
        : name || 'a GPU adapter',
    };
  } catch (e) {
    return {
      ok: false,
      software: false,
      what: `requesting a WebGPU adapter failed: ${errorText(e)}`,
    };
  }
}

/** Opens a throwaway WebGL context on an OffscreenCanvas and reads its renderer. */
function probeWebGl(): Probe {
  if (typeof OffscreenCanvas === 'undefined') {
    return {
      ok: false,
      software: false,
      what: 'OffscreenCanvas (WebGL in a worker) is not available',
    };
  }
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ??
      canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return { ok: false, software: false, what: 'no WebGL context could be created' };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    const software = SOFTWARE.test(renderer);
    return {
      ok: true,
      software,
      what: software ? `a software renderer (${renderer})` : renderer || 'a GPU',
    };
  } catch (e) {
    return { ok: false, software: false, what: `creating a WebGL context failed: ${errorText(e)}` };
  }
}

/**
 * "SIMD, 2 threads" for WASM; "SIMD, 1 thread (not cross-origin isolated: …)" when the page is
 * served without the COOP/COEP headers, which threads need (SharedArrayBuffer).
 */
async function wasmNote(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  let threads = 1;
  try {
    threads = getThreadsCount();
  } catch {
    // not threaded
  }
  const isolated = (self as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const why = isolated ? '' : ' (not cross-origin isolated: the host sends no COOP/COEP headers)';
  return `${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}${why}`;
}

/** A WebGPU device was lost: the next start of `webgpu` must be a fresh backend. */
let gpuLost = false;

/** Watches the WebGPU device for loss (a driver reset, a GPU hang). */
function watchDevice(onLost: (why: string) => void): void {
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  watchDeviceLoss(device, (why) => {
    gpuLost = true;
    onLost(why);
  });
}

/**
 * Starts the backend `request` asks for (see the file comment for the order and the software
 * rule) and reports it with the backends passed over.
 */
export const chooseBrowserBackend: ChooseBackend = async (request, onLost) => {
  const order: BackendName[] =
    request === 'auto'
      ? [...BACKEND_NAMES]
      : [request, ...BACKEND_NAMES.slice(BACKEND_NAMES.indexOf(request) + 1)];
  const passedOver: PassedOver[] = [];
  /** After a lost device a fresh WebGPU backend failed: WASM is the fallback (docs/architecture.md#faults). */
  let revivalFailed = false;
  for (const name of order) {
    const forced = name === request;
    let note: string | undefined;
    if (revivalFailed && name === 'webgl') {
      passedOver.push({
        name,
        reason: 'not tried after the lost GPU device: WASM is the safe fallback',
      });
      continue;
    }
    if (name === 'webgpu' || name === 'webgl') {
      const probe = name === 'webgpu' ? await probeWebGpu() : probeWebGl();
      if (!probe.ok) {
        if (name === 'webgpu' && gpuLost) revivalFailed = true;
        passedOver.push({ name, reason: probe.what });
        continue;
      }
      if (probe.software && !forced) {
        passedOver.push({
          name,
          reason: `${probe.what} — WASM trains much faster here (force it with backend=${name})`,
        });
        continue;
      }
      note = probe.software ? `forced onto ${probe.what}` : probe.what;
    }
    if (name === 'webgpu' && gpuLost) {
      // Never the lost instance: remove it and register a factory of a new device.
      const why = await reviveBackend(tf, 'webgpu', freshWebGpuBackend, WEBGPU_PRIORITY);
      if (why) {
        revivalFailed = true;
        passedOver.push({
          name,
          reason: `the GPU device was lost and a fresh one did not start: ${why}`,
        });
        continue;
      }
      gpuLost = false;
      note = `${note ?? 'a GPU adapter'}; a fresh device after the lost one`;
    } else {
      try {
        const started = await useBackend(name);
        if (started !== name) throw new Error(`tfjs started ${started} instead`);
      } catch (e) {
        passedOver.push({
          name,
          reason: `${forced ? 'asked for, but it ' : ''}failed to start: ${errorText(e)}`,
        });
        continue;
      }
    }
    if (name === 'wasm') note = await wasmNote();
    if (name === 'webgpu') watchDevice(onLost);
    return { name, requested: request, passedOver, ...(note ? { note } : {}) };
  }
  throw new Error(
    `no tfjs backend could start: ${passedOver.map((p) => `${p.name}: ${p.reason}`).join('; ')}`,
  );
};

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
