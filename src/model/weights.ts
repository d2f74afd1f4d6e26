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
