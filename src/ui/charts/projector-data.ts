/**
 * The Embedding Projector's two files (projector.tensorflow.org → Load): `vectors.tsv`, one video
 * output vector v_i per line, and `metadata.tsv`, a header line then one line per video in the
 * same order (title, topic, popularity, age, clickbait). Pure functions, tested without a DOM.
 */
import type { VideoMetaMessage } from '../../state/protocol';
import { tsvCell } from './csv';
import { describeVideo } from './projection-data';

/**
 * `rows` vectors of width `dim` from `vectors` [rows × dim] row-major, one per line, values
 * tab-separated with 6 significant digits (the projector reads plain decimals).
 */
export function projectorVectorsTsv(vectors: Float32Array, rows: number, dim: number): string {
  if (vectors.length < rows * dim)
    throw new RangeError(`vectors hold ${vectors.length} values, need ${rows} × ${dim}`);
  const lines: string[] = new Array(rows);
  const cells: string[] = new Array(dim);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dim; j++) cells[j] = Number(vectors[i * dim + j].toPrecision(6)).toString();
    lines[i] = cells.join('\t');
  }
  return lines.join('\n') + '\n';
}

/**
 * The metadata of the first `rows` videos: a header (`video`, `title`, `topic`,
 * `popularity_rank` (1 = most popular), `age_days` (negative: not yet uploaded), `clickbait`
 * (1/0)), then one line per video. A video without a title gets `video <id>`.
 */
export function projectorMetadataTsv(meta: VideoMetaMessage, rows: number): string {
  const lines = ['video\ttitle\ttopic\tpopularity_rank\tage_days\tclickbait'];
  const n = Math.min(rows, meta.topic.length);
  for (let i = 0; i < n; i++) {
    const v = describeVideo(meta, i);
    lines.push(
      [
        i,
        v.title || `video ${i}`,
        v.topic,
        v.popularityRank,
        Number(v.ageDays.toFixed(2)),
        v.clickbait,
      ]
        .map(tsvCell)
        .join('\t'),
    );
  }
  return lines.join('\n') + '\n';
}
