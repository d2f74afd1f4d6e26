/**
 * A model's weights as a list of named float32 arrays, for snapshots sent to another thread
 * and loaded back: embedding tables first, then the dense tower's layers input side first.
 * Every array handed out is a fresh copy (never a table's own array nor a tfjs backend's
 * buffer: on the CPU backend `await v.data()` can return the backend's own values), so the
 * caller may transfer or mutate it; arrays taken in are copied as well.
 */
import * as tf from '@tensorflow/tfjs';
import type { SparseEmbedding } from './embedding';
import type { DenseTower } from './tower';

/** One weight array: a table [rows × dim] or a layer's w [fanIn × width] or b [width], row-major. */
export interface NamedWeights {
  /** e.g. 'videoOut', 'video', 'layer0.w', 'layer0.b'. */
  name: string;
  data: Float32Array;
}

/**
 * The weights of `tables` (each [name, table], in the given order) and then of every layer i
 * of `tower` (none when null) as 'layer{i}.w' and 'layer{i}.b'; all copies.
 */
export async function exportModelWeights(
  tables: readonly (readonly [string, SparseEmbedding])[],
  tower: DenseTower | null,
): Promise<NamedWeights[]> {
  const out: NamedWeights[] = tables.map(([name, t]) => ({ name, data: t.weights.slice() }));
  for (const [i, { w, b }] of (tower?.layers ?? []).entries()) {
    out.push({ name: `layer${i}.w`, data: ((await w.data()) as Float32Array).slice() });
    out.push({ name: `layer${i}.b`, data: ((await b.data()) as Float32Array).slice() });
  }
  return out;
}

/**
 * Loads `list` into `tables` and `tower` (the names and order of {@link exportModelWeights};
 * extra entries are ignored). Every weight is checked before any is written: throws an Error
 * naming the first one missing or of the wrong size, leaving the model unchanged.
 */
export function importModelWeights(
  list: readonly NamedWeights[],
  tables: readonly (readonly [string, SparseEmbedding])[],
  tower: DenseTower | null,
): void {
  const byName = new Map(list.map((w) => [w.name, w.data]));
  const take = (name: string, size: number): Float32Array => {
    const data = byName.get(name);
    if (!data) throw new Error(`no weights "${name}"`);
    if (data.length !== size)
      throw new Error(`weights "${name}" have ${data.length} values, the model ${size}`);
    return data;
  };
  const tableData = tables.map(([name, t]) => take(name, t.weights.length));
  const layerData = (tower?.layers ?? []).map(({ w, b }, i) => ({
    w: take(`layer${i}.w`, w.size),
    b: take(`layer${i}.b`, b.size),
  }));
  tables.forEach(([, t], i) => t.weights.set(tableData[i]));
  tower?.layers.forEach(({ w, b }, i) => {
    // A copy: the CPU backend keeps the array a tensor is made from.
    tf.tidy(() => w.assign(tf.tensor(layerData[i].w.slice(), w.shape)));
    tf.tidy(() => b.assign(tf.tensor(layerData[i].b.slice(), b.shape)));
  });
}

/**
 * Everything a model needs to continue training bit for bit (docs/run-files.md#exact-resume):
 * its weights, its optimisers' moments and its counters.
 */
export interface ModelState {
  /** As {@link exportModelWeights}. */
  weights: NamedWeights[];
  /**
   * Optimiser moments, same sizes as the weights they belong to: '{table}.m', '{table}.v'
   * (lazy Adam of every table), 'layer{i}.w.m', 'layer{i}.w.v', 'layer{i}.b.m',
   * 'layer{i}.b.v' (the tower's tfjs Adam; absent before its first step).
   */
  slots: NamedWeights[];
  /**
   * Counters, each a finite number: '{table}.t' (lazy-Adam steps), 'adam.iterations',
   * 'adam.beta1Power', 'adam.beta2Power' (tfjs Adam's step count and its running β₁ᵗ, β₂ᵗ, kept
   * as float32 values, not recomputed, so that the next step divides by the same number),
   * and whatever the model adds ('rng', 'steps').
   */
  counters: Record<string, number>;
}

/** The private fields of tfjs 4.22's `AdamOptimizer` that hold its state (adam_optimizer.js). */
interface AdamInternals {
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  iterations_?: number;
}

function adamInternals(optimizer: tf.Optimizer): AdamInternals {
  const a = optimizer as unknown as AdamInternals;
  if (!Array.isArray(a.accumulatedFirstMoment) || !a.accBeta1 || !a.accBeta2)
    throw new Error('the optimizer is not a tfjs 4 AdamOptimizer: its state cannot be saved');
  return a;
}

/** 'layer{i}.w' / 'layer{i}.b' of the tower's i-th variable (DenseTower.variables order). */
const towerVarName = (i: number): string => `layer${i >> 1}.${i % 2 === 0 ? 'w' : 'b'}`;

/** Copies of a Float32 tensor's values (never the backend's own buffer). */
async function copyOf(t: tf.Tensor): Promise<Float32Array> {
  return Float32Array.from((await t.data()) as Float32Array);
}

/**
 * The state of a model made of `tables` (lazy Adam) and `tower` trained by the tfjs Adam
 * `optimizer`: every array a fresh copy (the caller may transfer it), plus `extra` counters.
 */
export async function exportModelState(
  tables: readonly (readonly [string, SparseEmbedding])[],
  tower: DenseTower | null,
  optimizer: tf.Optimizer,
  extra: Record<string, number>,
): Promise<ModelState> {
  const weights = await exportModelWeights(tables, tower);
  const slots: NamedWeights[] = [];
  const counters: Record<string, number> = {};
  for (const [name, t] of tables) {
    const s = t.exportState();
    slots.push({ name: `${name}.m`, data: s.m }, { name: `${name}.v`, data: s.v });
    counters[`${name}.t`] = s.step;
  }
  const adam = adamInternals(optimizer);
  const vars = tower?.variables ?? [];
  for (let i = 0; i < vars.length; i++) {
    const m = adam.accumulatedFirstMoment[i];
    const v = adam.accumulatedSecondMoment[i];
    if (!m || !v) continue;
    slots.push({ name: `${towerVarName(i)}.m`, data: await copyOf(m.variable) });
    slots.push({ name: `${towerVarName(i)}.v`, data: await copyOf(v.variable) });
  }
  counters['adam.iterations'] = adam.iterations_ ?? 0;
  counters['adam.beta1Power'] = (await adam.accBeta1.data())[0];
  counters['adam.beta2Power'] = (await adam.accBeta2.data())[0];
  return { weights, slots, counters: { ...counters, ...extra } };
}

/**
 * Loads a state of {@link exportModelState} into `tables`, `tower` and `optimizer`. Everything
 * is checked before anything is written: throws an Error naming the first weight, moment or
 * counter that is missing or of the wrong size, leaving the model unchanged. The caller reads
 * its own extra counters from `state.counters`.
 */
export function importModelState(
  state: ModelState,
  tables: readonly (readonly [string, SparseEmbedding])[],
  tower: DenseTower | null,
  optimizer: tf.Optimizer,
): void {
  const slots = new Map(state.slots.map((w) => [w.name, w.data]));
  const counter = (name: string): number => {
    const x = state.counters[name];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`no counter "${name}"`);
    return x;
  };
  const slot = (name: string, size: number): Float32Array => {
    const data = slots.get(name);
    if (!data) throw new Error(`no optimiser state "${name}"`);
    if (data.length !== size)
      throw new Error(`optimiser state "${name}" has ${data.length} values, the model ${size}`);
    return data;
  };
  const tableStates = tables.map(([name, t]) => ({
    m: slot(`${name}.m`, t.weights.length),
    v: slot(`${name}.v`, t.weights.length),
    step: counter(`${name}.t`),
  }));
  for (const s of tableStates)
    if (!(Number.isInteger(s.step) && s.step >= 0))
      throw new Error(`a lazy-Adam step count must be a whole number ≥ 0, got ${s.step}`);
  const vars = tower?.variables ?? [];
  const hasMoments = vars.length > 0 && slots.has(`${towerVarName(0)}.m`);
  const moments = hasMoments
    ? vars.map((v, i) => ({
        m: slot(`${towerVarName(i)}.m`, v.size),
        v: slot(`${towerVarName(i)}.v`, v.size),
      }))
    : [];
  const iterations = counter('adam.iterations');
  const beta1Power = counter('adam.beta1Power');
  const beta2Power = counter('adam.beta2Power');
  const adam = adamInternals(optimizer);

  importModelWeights(state.weights, tables, tower); // checks its own, then writes
  tables.forEach(([, t], i) => t.importState(tableStates[i]));
  const variable = (data: Float32Array, shape: number[]): tf.Variable => {
    const t = tf.tensor(data.slice(), shape); // a copy: the CPU backend keeps the array
    const v = tf.variable(t, false);
    t.dispose();
    return v;
  };
  for (const list of [adam.accumulatedFirstMoment, adam.accumulatedSecondMoment])
    for (const s of list) s?.variable.dispose();
  adam.accumulatedFirstMoment = moments.map((s, i) => ({
    originalName: `${vars[i].name}/m`,
    variable: variable(s.m, vars[i].shape),
  }));
  adam.accumulatedSecondMoment = moments.map((s, i) => ({
    originalName: `${vars[i].name}/v`,
    variable: variable(s.v, vars[i].shape),
  }));
  adam.iterations_ = iterations;
  tf.tidy(() => {
    adam.accBeta1.assign(tf.scalar(beta1Power));
    adam.accBeta2.assign(tf.scalar(beta2Power));
  });
}
