/**
 * What the Embedding view asks of a session: the live 2-D PCA projection of the candidate
 * model's output video vectors v_i, the nearest neighbours of a clicked video, and the videos'
 * metadata it colours and labels them by. Pure functions of a {@link TrainingSession} (no
 * messages).
 */
import { pca } from '../model/pca';
import { exactTopN } from '../serve/exact';
import type { World } from '../sim/types';
import { NEIGHBOURS, type NeighboursMessage, type VideoMetaMessage } from '../protocol';
import type { TrainingSession } from './session';

/**
 * 2-D PCA of the candidate model's output vectors v_i [videos × d], warm-started from the
 * previous projection so that the picture moves smoothly instead of flipping (model/pca.ts).
 */
export function projection(s: TrainingSession): {
  coords: Float32Array;
  explained: [number, number];
  /**
   * Projects a user's u [d] on the two components, without subtracting the videos' mean: the
   * model ranks by u·v_i = u·m + u·(v_i − m), so the videos it ranks highest lie in the
   * direction of this point from the centre of the plot.
   */
  project: (x: ArrayLike<number>) => [number, number];
} {
  const v = s.candidate.videoOut;
  const r = pca(v.weights, v.rows, v.dim, { k: 2, init: s.projectionBasis });
  s.projectionBasis = r.components;
  const d = v.dim;
  const project = (x: ArrayLike<number>): [number, number] => {
    const out: [number, number] = [0, 0];
    for (let c = 0; c < 2; c++)
      for (let j = 0; j < d; j++) out[c] += x[j] * r.components[c * d + j];
    return out;
  };
  return { coords: r.coords, explained: [r.explained[0], r.explained[1]], project };
}

/**
 * The {@link NEIGHBOURS} videos with the largest v_video · v_i (i ≠ video), exact, best first.
 * Throws a RangeError for a video id out of range.
 */
export function neighbours(s: TrainingSession, video: number): Omit<NeighboursMessage, 'type'> {
  const v = s.candidate.videoOut;
  if (!(Number.isInteger(video) && video >= 0 && video < v.rows))
    throw new RangeError(`video must be an integer from 0 to ${v.rows - 1}, got ${video}`);
  const query = v.weights.slice(video * v.dim, (video + 1) * v.dim);
  const top = exactTopN({ vectors: v.weights, count: v.rows, dim: v.dim }, query, NEIGHBOURS + 1);
  const keep = Array.from(top.ids.keys())
    .filter((i) => top.ids[i] !== video)
    .slice(0, NEIGHBOURS);
  return {
    runId: s.runId,
    video,
    ids: Int32Array.from(keep, (i) => top.ids[i]),
    scores: Float32Array.from(keep, (i) => top.scores[i]),
  };
}

/** Largest world whose titles go to the page with the video metadata (~30 bytes each). */
const MAX_TITLES = 200_000;

/** What the Embedding view colours and labels the videos by (sent once per session). */
export function videoMeta(world: World): Omit<VideoMetaMessage, 'type' | 'runId'> {
  const { videos } = world;
  const n = videos.count;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => videos.popularity[b] - videos.popularity[a] || a - b,
  );
  const popularityRank = new Int32Array(n);
  order.forEach((id, rank) => (popularityRank[id] = rank));
  const end = world.config.days;
  const titles: string[] = [];
  if (n <= MAX_TITLES)
    for (let i = 0; i < n; i++) {
      const words: string[] = [];
      for (let t = videos.titleOffsets[i]; t < videos.titleOffsets[i + 1]; t++)
        words.push(world.vocabulary[videos.titleTokens[t]]);
      titles.push(words.join(' '));
    }
  return {
    topic: videos.topic.slice(),
    topicNames: [...world.topicNames],
    popularityRank,
    ageDays: Float32Array.from(videos.uploadTime, (t) => end - t),
    clickbait: videos.clickbait.slice(),
    titles,
  };
}
