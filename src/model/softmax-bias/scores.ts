/**
 * The full softmax of one user, in double precision, and the scores it is taken over
 * (softmax-bias, index.ts). Plain TypeScript, no tfjs.
 */

/**
 * Full softmax of `scores` [n] in double precision: p_j = e^{s_j − max s} / Σ. Items scoring
 * −∞ (not live) get 0. Throws a RangeError if no score is finite or one is NaN / +∞.
 */
export function fullSoftmax(scores: ArrayLike<number>): Float64Array {
  let m = -Infinity;
  for (let j = 0; j < scores.length; j++) {
    const s = scores[j];
    if (s !== s || s === Infinity) throw new RangeError(`score ${j} is ${s}`);
    if (s > m) m = s;
  }
  if (m === -Infinity) throw new RangeError('softmax needs at least one finite score');
  const p = new Float64Array(scores.length);
  let z = 0;
  for (let j = 0; j < p.length; j++) z += p[j] = Math.exp(scores[j] - m);
  for (let j = 0; j < p.length; j++) p[j] /= z;
  return p;
}

/**
 * One user's scores s_i = u·v_i + b_i [count] over item vectors `vectors` [count × d] (e.g.
 * CandidateModel.videoOut.weights and videoBias.weights), −∞ where `live[i]` is 0.
 */
export function userScores(
  u: ArrayLike<number>,
  vectors: Float32Array,
  count: number,
  bias?: ArrayLike<number>,
  live?: ArrayLike<number>,
): Float32Array {
  const d = u.length;
  if (vectors.length < count * d)
    throw new RangeError(`vectors hold ${vectors.length} values, need ${count} × ${d}`);
  const s = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (live && !live[i]) {
      s[i] = -Infinity;
      continue;
    }
    let x = bias ? bias[i] : 0;
    for (let k = 0, o = i * d; k < d; k++) x += u[k] * vectors[o + k];
    s[i] = x;
  }
  return s;
}
