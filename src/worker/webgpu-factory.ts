/**
 * A fresh tfjs WebGPU backend on a new device, for the restart after a lost device
 * (`device-loss.ts`, docs/architecture.md#faults): the same adapter request and limits as
 * tfjs-backend-webgpu's own registration (its `base.ts`), which cannot be called twice.
 * Browser-only.
 */
import { env } from '@tensorflow/tfjs';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/** The priority tfjs-backend-webgpu registers `webgpu` with. */
export const WEBGPU_PRIORITY = 3;

/** Asks for an adapter and a new device and wraps them in a new backend. */
export async function freshWebGpuBackend(): Promise<WebGPUBackend> {
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) throw new Error('WebGPU is not available any more');
  const adapter = await gpu.requestAdapter({
    powerPreference: env().get('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance',
  });
  if (!adapter) throw new Error('no WebGPU adapter was found');
  const features: GPUFeatureName[] = [];
  if (adapter.features.has('timestamp-query')) features.push('timestamp-query');
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: features,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  });
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  return new WebGPUBackend(device, info);
}
