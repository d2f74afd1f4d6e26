/**
 * Which training examples a candidate-generation step draws: with a video vocabulary only those
 * whose label is in it (the softmax is over the vocabulary; docs/model.md#vocabulary), drawn
 * with replacement by the model's seeded stream.
 */
import type { CandidateExamples } from '../../sim/examples';
import type { UniformStream } from '../stream';

/**
 * min(`size`, n) rows drawn with replacement by `stream`: from `pool` (n = its length) or, when
 * null, from all `count` examples (n = count). One `stream.int(n)` per row.
 */
export function drawRows(
  pool: Int32Array | null,
  count: number,
  size: number,
  stream: UniformStream,
): Int32Array {
  const n = pool ? pool.length : count;
  const B = Math.min(size, n);
  const rows = new Int32Array(B);
  for (let b = 0; b < B; b++) rows[b] = pool ? pool[stream.int(n)] : stream.int(n);
  return rows;
}

/**
 * Rows of `examples` (default: all, in order) whose label is in the video vocabulary
 * (`outOfVocab[label]` = 0; every row when `outOfVocab` is null), as a fresh array.
 */
export function rowsInVocab(
  examples: CandidateExamples,
  outOfVocab: Uint8Array | null,
  rows?: ArrayLike<number>,
): Int32Array {
  const all = rows ?? Int32Array.from({ length: examples.count }, (_, i) => i);
  if (!outOfVocab) return Int32Array.from(all);
  return Int32Array.from(
    Array.prototype.filter.call(all, (r: number) => !outOfVocab[examples.label[r]]) as number[],
  );
}
