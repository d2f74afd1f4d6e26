/**
 * The samplers' popularity: how often each video is a training label.
 */
import type { CandidateExamples } from '../../sim/examples';
import type { World } from '../../sim/types';

/** How often each video is a label in `examples` [videos] (the samplers' popularity). */
export function labelCounts(world: World, examples: CandidateExamples): Float32Array {
  const c = new Float32Array(world.videos.count);
  for (let i = 0; i < examples.count; i++) c[examples.label[i]]++;
  return c;
}
