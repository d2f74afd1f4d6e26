/**
 * Issue 11 items 3, 8, 9 on the command line: the example, vocabulary and embedding knobs are
 * flags of `npm run train` (from their rows) and reach the models' configs; a bad value names
 * the flag and its range.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';
import { experimentFromFlags } from './train-flags';

const fromArgs = (argv: string[]) => experimentFromFlags(parseArgs(argv));

describe('the label, cap, vocabulary and embedding flags', () => {
  it('reach the candidate config, the example label and the ranker', () => {
    const s = fromArgs([
      '--label',
      'heldout',
      '--per-user-cap',
      '7',
      '--video-vocab',
      '900',
      '--token-vocab',
      '300',
      '--embedding-widths',
      'log',
      '--embeddings',
      'pretrained-finetune',
    ]);
    expect(s.label).toBe('heldout');
    expect(s.candidate).toMatchObject({
      label: 'heldout',
      perUserCap: 7,
      videoVocab: 900,
      tokenVocab: 300,
      embeddingWidths: 'log',
      embeddings: 'pretrained-finetune',
    });
    expect(s.ranking.config.videoVocab).toBe(900);
  });

  it('defaults to every video and token, joint embeddings, next-watch labels', () => {
    const s = fromArgs([]);
    expect(s.candidate).toMatchObject({
      label: 'next',
      perUserCap: 50,
      videoVocab: 0,
      tokenVocab: 0,
      embeddingWidths: 'fixed',
      embeddings: 'joint',
    });
  });

  it('names the flag and its range on a bad value', () => {
    expect(() => fromArgs(['--video-vocab', '-3'])).toThrow(/video-vocab|videoVocab/);
    expect(() => fromArgs(['--embeddings', 'word2vec'])).toThrow(/embeddings/);
  });
});
