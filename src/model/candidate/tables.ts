/**
 * The candidate model's embedding tables, built in one seeded order: the input tables (watch
 * bag, search tokens, region, device; user ids for factorisation), then the output vectors v_i
 * and biases b_i, all drawn from the model's uniform stream; then the pretrained input
 * embeddings when asked for, and the out-of-vocabulary rows frozen (docs/model.md#vocabulary).
 */
import type { UniformSource } from '../../sim/alias';
import { searchTokenSpace } from '../../sim/examples';
import type { World } from '../../sim/types';
import { COUNTRIES, DEVICES } from '../../sim/vocab-names';
import { SparseEmbedding } from '../embedding';
import { pretrainedEmbeddings } from '../pretrain';
import { vocabularies } from '../vocabulary';
import { inputWidths, OOV_BIAS, type CandidateConfig, type InputWidths } from './config';
import type { InputTables } from './inputs';

/** The tables of a candidate model and what building them decided. */
export interface CandidateTables {
  /** The input tables (watch and search bags, region, device; user ids for factorisation). */
  tables: InputTables;
  /** Output video vectors v_i [videos × d]. */
  videoOut: SparseEmbedding;
  /** Output video biases b_i [videos × 1], initially 0. */
  videoBias: SparseEmbedding;
  /** Out-of-vocabulary videos (1 = out), or null when every video is in. */
  outOfVocab: Uint8Array | null;
  /** Widths of the input tables (config.ts `inputWidths`). */
  widths: InputWidths;
  /** Milliseconds spent pretraining the input embeddings (0 for joint learning or a cache hit). */
  pretrainMs: number;
}

/**
 * The tables of a model of `config` over `world` with embedding size `d`, initial weights drawn
 * from `uniform` (the model's stream: the caller draws the tower's weights after these).
 * Out-of-vocabulary rows of every video table are frozen (zero vectors, output bias
 * {@link OOV_BIAS}), and those of the search-token table at zero.
 */
export function buildTables(
  world: World,
  config: CandidateConfig,
  d: number,
  uniform: UniformSource,
): CandidateTables {
  const u = uniform;
  const N = world.videos.count;
  const T = searchTokenSpace(world);
  const vocab = vocabularies(world, config.videoVocab, config.tokenVocab);
  const inVocab = (mask: Uint8Array | null, n: number) =>
    mask ? mask.reduce((a, x) => a + (x ? 0 : 1), 0) : n;
  const w = inputWidths(config, {
    video: inVocab(vocab.video, N),
    search: inVocab(vocab.token, T),
    region: COUNTRIES.length,
    device: DEVICES.length,
  });
  const tables: InputTables = {
    videoIn: new SparseEmbedding(N, w.video, u),
    search: new SparseEmbedding(T, w.search, u),
    region: new SparseEmbedding(COUNTRIES.length, w.region, u),
    device: new SparseEmbedding(DEVICES.length, w.device, u),
    user: config.userInput === 'id' ? new SparseEmbedding(world.users.count, d, u) : undefined,
  };
  const videoOut = new SparseEmbedding(N, d, u);
  const videoBias = new SparseEmbedding(N, 1, u, 0);
  let pretrainMs = 0;
  if (config.embeddings !== 'joint' && config.userInput === 'features') {
    // Drawn after every table, so the other weights are those of joint learning.
    const pre = pretrainedEmbeddings(world, {
      videoWidth: w.video,
      tokenWidth: w.search,
      seed: config.seed,
      video: vocab.video,
      token: vocab.token,
    });
    tables.videoIn.weights.set(pre.video);
    tables.search.weights.set(pre.token);
    pretrainMs = pre.ms;
  }
  if (vocab.video) {
    tables.videoIn.freezeRows(vocab.video);
    videoOut.freezeRows(vocab.video);
    videoBias.freezeRows(vocab.video, OOV_BIAS);
  }
  if (vocab.token) tables.search.freezeRows(vocab.token);
  return { tables, videoOut, videoBias, outOfVocab: vocab.video, widths: w, pretrainMs };
}
