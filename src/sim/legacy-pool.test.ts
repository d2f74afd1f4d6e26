import { describe, expect, it } from 'vitest';
import { buildVocabulary } from './catalogue';
import { LegacyPool, POOL_SIZE } from './legacy-pool';
import { affinityAt } from './oracle';
import { SimRng } from './rng';
import { interestCdf, sessionContext } from './session-context';
import { STAMP_STRIDE } from './session-page';
import { generateWorldBase } from './world';

describe('LegacyPool.refresh', () => {
  // latentDim 16 takes the written-out affinity, 6 the generic affinityAt.
  for (const latentDim of [16, 6]) {
    it(`keeps each entry's true affinity to the bit (latentDim ${latentDim})`, () => {
      const { world } = generateWorldBase({ seed: 5, videos: 800, users: 12, days: 20, latentDim });
      const ctx = sessionContext(world, buildVocabulary(world.config.topics));
      const stamps = new Int32Array(STAMP_STRIDE * world.videos.count).fill(-1);
      const pool = new LegacyPool(ctx, stamps);
      const cdf = new Float64Array(world.config.topics);
      const d = latentDim;
      let checked = 0;
      // Users alternate; each refreshes twice.
      for (const u of [0, 1, 0, 1, 2]) {
        interestCdf(world.users.interests, u, world.config.topics, cdf);
        pool.refresh(u, 19, new SimRng(5, 99, u, checked), cdf);
        expect(pool.size).toBeGreaterThan(0);
        expect(pool.size).toBeLessThanOrEqual(POOL_SIZE);
        for (let i = 0; i < pool.size; i++) {
          const v = pool.slots[i];
          expect(ctx.ids[v]).toBe(pool.ids[i]);
          expect(pool.affinity[i]).toBe(
            affinityAt(world.users.latent, u * d, ctx.latent, v * d, d),
          );
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(50);
    });
  }
});
