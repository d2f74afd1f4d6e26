/**
 * Sampled softmax as one unit (paper §3.1; Yi et al. 2019 for the logQ correction): the
 * softmax choices (`choices.ts`), the negative samplers and their q (`samplers.ts`), drawing a
 * batch's columns with logQ and accidental hits (`batch.ts`, `accidental-hits.ts`), and the
 * logits and mean cross-entropy (`loss.ts`, `logits.ts`). The candidate model's training step
 * and its held-out loss both go through {@link drawSoftmaxBatch} and {@link sampledSoftmaxLoss}.
 *
 * This entry point pulls in tfjs. Code that must stay free of it (the page's state and UI, the
 * worker's settings table) imports `./choices` directly.
 */
export * from './choices';
export * from './samplers';
export * from './accidental-hits';
export * from './batch';
export * from './logits';
export * from './loss';
