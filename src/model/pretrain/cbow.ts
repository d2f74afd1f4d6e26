/**
 * Continuous bag of words (word2vec's CBOW) with negative sampling, in plain TypeScript
 * (docs/model.md#pretrained-embeddings): each position of a sequence is predicted from the
 * average of the input vectors of its window; the target's output vector is pushed towards
 * that average and K negatives, drawn ∝ count^0.75, away from it, with plain SGD and a
 * linearly decaying learning rate. Deterministic for a seed. Out-of-vocabulary ids are left
 * out of every window and never predicted; their input rows stay zero.
 */
import { AliasTable } from '../../sim/alias';
import { createRng } from '../../sim/rng';

/** Sequences of ids, CSR: sequence s is ids[offsets[s] … offsets[s + 1]). */
export interface Sequences {
  ids: Int32Array;
  offsets: Int32Array;
}

/** Settings of {@link trainCbow}. */
export interface CbowOptions {
  /** Width of the vectors. */
  dim: number;
  /** Ids on each side of the target that form its context. */
  window: number;
  /** Negatives per target. */
  negatives: number;
  /** Passes over the sequences. */
  epochs: number;
  /** Starting SGD learning rate (decays linearly to 1/1000 of it). */
  learningRate: number;
  /** Seed of the initial vectors, the negatives and nothing else. */
  seed: number;
  /** Out-of-vocabulary ids (1 = out), or null. */
  outOfVocab: Uint8Array | null;
}

/** Defaults of {@link CbowOptions} (word2vec's CBOW defaults, fewer epochs). */
export const defaultCbowOptions: Omit<CbowOptions, 'dim' | 'seed' | 'outOfVocab'> = {
  window: 5,
  negatives: 5,
  epochs: 2,
  learningRate: 0.05,
};

/** Result of {@link trainCbow}. */
export interface CbowResult {
  /** Input vectors [ids × dim] (the embedding to keep); zero rows for OOV and unseen ids. */
  vectors: Float32Array;
  /** Mean negative-sampling loss (nats per target) of each epoch. */
  epochLoss: number[];
  /** Targets trained on per epoch. */
  targets: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Trains CBOW over `seq` for an id space of `n` ids. Ids that never occur in `seq` keep a
 * zero vector. O(epochs × positions × (window + negatives) × dim).
 */
export function trainCbow(seq: Sequences, n: number, o: CbowOptions): CbowResult {
  const { dim, window, negatives, epochs, learningRate, outOfVocab } = o;
  const rng = createRng(o.seed, 0xcb0, dim);
  const counts = new Float64Array(n);
  for (const id of seq.ids) if (!outOfVocab?.[id]) counts[id]++;
  const vin = new Float32Array(n * dim);
  const vout = new Float32Array(n * dim);
  const targets = counts.reduce((a, c) => a + c, 0);
  const epochLoss: number[] = [];
  if (targets === 0) return { vectors: vin, epochLoss, targets: 0 };
  for (let i = 0; i < n; i++)
    if (counts[i] > 0) for (let k = 0; k < dim; k++) vin[i * dim + k] = (rng.uniform() - 0.5) / dim;
  const noise = new AliasTable(Float64Array.from(counts, (c) => Math.pow(c, 0.75)));
  const h = new Float32Array(dim);
  const e = new Float32Array(dim);
  const ctx: number[] = [];
  const total = epochs * targets;
  let done = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let loss = 0;
    for (let s = 0; s + 1 < seq.offsets.length; s++) {
      const a = seq.offsets[s];
      const b = seq.offsets[s + 1];
      for (let t = a; t < b; t++) {
        const target = seq.ids[t];
        if (outOfVocab?.[target]) continue;
        const lr = learningRate * Math.max(0.001, 1 - done / total);
        done++;
        ctx.length = 0;
        for (let c = Math.max(a, t - window); c < Math.min(b, t + window + 1); c++)
          if (c !== t && !outOfVocab?.[seq.ids[c]]) ctx.push(seq.ids[c]);
        if (ctx.length === 0) continue;
        h.fill(0);
        for (const c of ctx) for (let k = 0; k < dim; k++) h[k] += vin[c * dim + k];
        for (let k = 0; k < dim; k++) h[k] /= ctx.length;
        e.fill(0);
        for (let j = 0; j <= negatives; j++) {
          const out = j === 0 ? target : noise.draw(rng.uniform);
          if (j > 0 && out === target) continue;
          const label = j === 0 ? 1 : 0;
          let dot = 0;
          for (let k = 0; k < dim; k++) dot += h[k] * vout[out * dim + k];
          const p = sigmoid(dot);
          loss -= Math.log(Math.max(1e-12, label ? p : 1 - p));
          const g = lr * (label - p);
          for (let k = 0; k < dim; k++) {
            e[k] += g * vout[out * dim + k];
            vout[out * dim + k] += g * h[k];
          }
        }
        for (const c of ctx) for (let k = 0; k < dim; k++) vin[c * dim + k] += e[k];
      }
    }
    epochLoss.push(loss / targets);
  }
  return { vectors: vin, epochLoss, targets };
}
