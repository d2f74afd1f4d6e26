/**
 * The estimator behind softmax-bias (index.ts): how sampled softmax sees one user's softmax
 * (docs/model.md#sampled-softmax-bias, paper §3.1), i.e. the probabilities that sampled softmax,
 * with K negatives from a sampler q and the logQ correction on or off, effectively uses in place of
 * the full softmax p. Plain TypeScript, no tfjs.
 *
 * ── The estimator ────────────────────────────────────────────────────────────────────────────
 * Scores s_j = u·v_j + b_j (−∞ for items that are not live). Full softmax: p_j = e^{s_j} / Z.
 * Sampled softmax, as trained in candidate/model.ts, for a label y and negatives x_1 … x_K
 * drawn i.i.d. from q, uses logits z_j = s_j − c_j with c_j = log q_j (logQ on) or 0 (off) for
 * the label and the negatives alike (log K is a common shift and cancels), and the loss
 * L = −z_y + log D, D = e^{z_y} + Σ_k e^{z_{x_k}}. Its gradient with respect to s_j is
 *
 *     ∂L/∂s_j = (Σ_k [x_k = j] + [y = j]) · e^{z_j} / D  −  [y = j],
 *
 * while the full softmax gives p_j − [y = j]. The first term is the share of the sampled
 * denominator that item j holds: the probability sampled softmax pushes item j down with, in
 * place of p_j. Its expectation over the label y ~ p (the user's next watch drawn from the full
 * softmax, so every item is the label with its own probability) and over the negatives,
 *
 *     p̂_j = E_{y,x} [ (Σ_k [x_k = j] + [y = j]) · w_j / D ],   w_j = e^{s_j − c_j},
 *
 * is "item j's probability as sampled softmax sees it". The shares of one draw sum to 1, so
 * Σ_j p̂_j = 1 exactly and p̂ compares with p directly. Properties:
 *  - logQ on: w_j ∝ p_j / q_j and (1/K) Σ_k w_{x_k} is an unbiased estimate of Z (in these
 *    units), so the negative part of p̂_j → p_j and the label part → 0 as K grows; for finite K
 *    p̂ is biased by O(r/K) where r = p/q (items the user likes far more than the sampler draws
 *    them converge last: the χ²(p‖q) of importance sampling);
 *  - logQ off: w_j = e^{s_j}, and as K grows p̂_j → q_j e^{s_j} / Σ_i q_i e^{s_i} ∝ q_j·p_j:
 *    with a popularity sampler popular items are over-weighted as negatives, pushed down too
 *    hard, and the model learns to under-weight them (below);
 *  - uniform q: c_j = log(1/n) is the same for every item, so logQ changes nothing;
 *  - removing accidental hits (training's default) takes the label out of the negatives, which
 *    leaves a bias of order p_j that no K removes (see limitEstimate); it is small unless the
 *    user's softmax is peaked.
 *
 * What training converges to. Training stops moving item j when its push-down equals its pull
 * up: p̂_j(s) = p_data,j. If p̂_j ≈ ρ_j·p_j with ρ_j = p̂_j / p_j varying slowly with s, the
 * fixed point has p_j = p_data,j / ρ_j. Taking the current p as the data, the distribution the
 * model would learn is ℓ_j ∝ p_j / ρ_j = p_j² / p̂_j (one multiplicative fixed-point step; exact
 * in both K → ∞ limits: ℓ = p with logQ, ℓ ∝ p / q without). This is `learned`: without logQ and
 * with a popularity sampler it under-weights popular items, the bias Yi et al. 2019 correct.
 *
 * ── Computing it ─────────────────────────────────────────────────────────────────────────────
 * Monte Carlo over R seeded repeats, each a label y_r ~ p and K negatives from the sampler, but
 * conditioned (Rao–Blackwell) so that every item gets a smooth estimate, not only the few drawn.
 * By symmetry of the K i.i.d. draws, with S′ = Σ_{k<K} w_{x_k} (the first K − 1 draws) and
 * S = Σ_{k≤K} w_{x_k}:
 *
 *     E[Σ_k [x_k = j] w_j / D] = K q_j · E[ w_j / (w_y + w_j + S′) ]
 *     E[[y = j] w_j / D]       = p_j  · E[ w_j / (w_j + S) ]
 *
 * and each repeat contributes both terms for all n items: O(R·(K + n)) per estimate. With
 * accidental hits removed (as in training), draws equal to the label leave the sums and the
 * first term is 0 for j = y. Weights are scaled by e^{−max(s − c)} (the shares are unchanged),
 * and everything is in double precision.
 */
import { AliasTable } from '../../sim/alias';
import { createRng } from '../../sim/rng';
import { drawsNegatives } from '../candidate/sampled-softmax/choices';
import type { NegativeSampler, UniformSource } from '../candidate/sampled-softmax/samplers';
import { fullSoftmax } from './scores';

const STREAM = 0x50f7a;

/** Everything of one user and sampler that does not depend on K or logQ. */
export interface Prepared {
  scores: ArrayLike<number>;
  sampler: NegativeSampler;
  q: Float64Array;
  p: Float64Array;
  labels: AliasTable;
  /** Draws from q for a sampler that draws no negatives itself (in-batch: they are the batch's labels). */
  qTable: AliasTable | null;
  popularityOrder: Int32Array;
  popularity: ArrayLike<number>;
  groups: number;
}

/**
 * The parts of one user's study that do not depend on K or logQ: q, p, the label table, and the
 * live items by `popularity` (default q) for `groups` summary groups (default 10). Throws a
 * RangeError on mismatched lengths or a bad group count.
 */
export function prepare(
  scores: ArrayLike<number>,
  sampler: NegativeSampler,
  options: { popularity?: ArrayLike<number>; groups?: number },
): Prepared {
  const n = sampler.numItems;
  if (scores.length !== n)
    throw new RangeError(`${scores.length} scores for a sampler over ${n} items`);
  const q = sampler.probabilities();
  const p = fullSoftmax(scores);
  const popularity = options.popularity ?? q;
  if (popularity.length !== n)
    throw new RangeError(`popularity has ${popularity.length} values, not ${n}`);
  const groups = options.groups ?? 10;
  if (!Number.isInteger(groups) || groups < 1)
    throw new RangeError(`groups must be an integer ≥ 1, got ${groups}`);
  const live: number[] = [];
  for (let j = 0; j < n; j++) if (p[j] > 0) live.push(j);
  const popularityOrder = Int32Array.from(live).sort(
    (a, b) => popularity[a] - popularity[b] || a - b,
  );
  return {
    scores,
    sampler,
    q,
    p,
    labels: new AliasTable(p),
    qTable: drawsNegatives(sampler.kind) ? null : new AliasTable(q),
    popularityOrder,
    popularity,
    groups,
  };
}

/** p̂ for one (K, logQ): the conditional Monte Carlo of the module comment. */
export function estimate(
  pr: Prepared,
  K: number,
  logQ: boolean,
  repeats: number,
  seed: number,
  removeHits: boolean,
): Float64Array {
  if (!Number.isInteger(K) || K < 1)
    throw new RangeError(`negatives must be an integer ≥ 1, got ${K}`);
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new RangeError(`repeats must be an integer ≥ 1, got ${repeats}`);
  const { scores, q, p } = pr;
  const n = p.length;
  // w_j = e^{s_j − c_j − m}, m = max_j (s_j − c_j) over live items.
  const w = new Float64Array(n);
  let m = -Infinity;
  for (let j = 0; j < n; j++)
    if (p[j] > 0) m = Math.max(m, scores[j] - (logQ ? Math.log(q[j]) : 0));
  for (let j = 0; j < n; j++)
    w[j] = p[j] > 0 ? Math.exp(scores[j] - (logQ ? Math.log(q[j]) : 0) - m) : 0;

  const rng = createRng(seed, STREAM);
  const draw: UniformSource = rng.uniform;
  const x = new Int32Array(K);
  const count = new Int32Array(n);
  const out = new Float64Array(n);
  for (let r = 0; r < repeats; r++) {
    const y = pr.labels.draw(draw);
    if (pr.qTable) for (let k = 0; k < K; k++) x[k] = pr.qTable.draw(draw);
    else pr.sampler.sample(K, draw, x);
    let sPrime = 0; // first K − 1 draws (those equal to y removed when removing hits)
    let s = 0; // all K draws
    for (let k = 0; k < K; k++) {
      const wk = w[x[k]];
      s += wk;
      if (k < K - 1 && !(removeHits && x[k] === y)) sPrime += wk;
      count[x[k]]++;
    }
    const wy = w[y];
    for (let j = 0; j < n; j++) {
      const wj = w[j];
      if (wj === 0) continue;
      let acc = 0;
      if (!(removeHits && j === y)) acc += (K * q[j] * wj) / (wy + wj + sPrime);
      const dl = wj + (removeHits ? s - count[j] * wj : s);
      if (dl > 0) acc += (p[j] * wj) / dl;
      out[j] += acc;
    }
    for (let k = 0; k < K; k++) count[x[k]] = 0;
  }
  for (let j = 0; j < n; j++) out[j] /= repeats;
  return out;
}

/** ℓ ∝ p² / p̂, normalised (0 where p̂ = 0). */
export function learnedFrom(p: Float64Array, est: Float64Array): Float64Array {
  const l = new Float64Array(p.length);
  let z = 0;
  for (let j = 0; j < p.length; j++) if (est[j] > 0) z += l[j] = (p[j] * p[j]) / est[j];
  if (z > 0) for (let j = 0; j < p.length; j++) l[j] /= z;
  return l;
}

/**
 * p̂ as K → ∞, in closed form. The sampled denominator becomes K·Σ_i q_i w_i, so an item's
 * share as a negative tends to π_j = q_j w_j / Σ_i q_i w_i (π = p with logQ; π ∝ q·p without)
 * and its share as the label to 0. Removing accidental hits takes the label out of the
 * negatives, so for label y the shares are π_j / (1 − π_y), j ≠ y, and
 * p̂_j = π_j · Σ_{y≠j} p_y / (1 − π_y): a bias of order p that no K removes (items the user
 * is likely to watch next lose a little mass to the rest).
 */
export function limitEstimate(pr: Prepared, logQ: boolean, removeHits: boolean): Float64Array {
  const { p, q } = pr;
  const n = p.length;
  const pi = logQ ? p.slice() : Float64Array.from(p, (pj, j) => pj * q[j]);
  let z = 0;
  for (let j = 0; j < n; j++) z += pi[j];
  for (let j = 0; j < n; j++) pi[j] /= z;
  if (!removeHits || pr.popularityOrder.length < 2) return pi;
  let b = 0;
  for (let y = 0; y < n; y++) if (p[y] > 0) b += p[y] / (1 - pi[y]);
  return Float64Array.from(pi, (pj, j) => (p[j] > 0 ? pj * (b - p[j] / (1 - pj)) : 0));
}
