/**
 * The negative samplers of sampled softmax now live in the sampled-softmax unit
 * (`candidate/sampled-softmax/samplers.ts`); this module re-exports them for older imports.
 */
export {
  AliasTable,
  makeSampler,
  SAMPLER_KINDS,
  type NegativeSampler,
  type SamplerKind,
  type SamplerOptions,
  type UniformSource,
} from './candidate/sampled-softmax/samplers';
