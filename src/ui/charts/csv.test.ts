import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, exportName, neutralise, tsvCell, withProvenance } from './csv';
import { projectorMetadataTsv, projectorVectorsTsv } from './projector-data';
import type { VideoMetaMessage } from '../../state/protocol';

describe('csv cells', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    for (const bad of ['=1+1', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '＝1'])
      expect(neutralise(bad)).toBe(`'${bad}`);
    expect(neutralise('Cats 101')).toBe('Cats 101');
    expect(neutralise('a=b')).toBe('a=b');
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('writes numbers as numbers (negative ones too) and empties what is not finite', () => {
    expect(csvLine([-0.5, 3, 1e-7, NaN, Infinity, null, undefined, true, false])).toBe(
      '-0.5,3,1e-7,,,,,1,0',
    );
  });

  it('quotes text with commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('')).toBe('');
  });

  it('TSV cells have no tabs or line breaks and are neutralised', () => {
    expect(tsvCell('a\tb\nc')).toBe('a b c');
    expect(tsvCell('-x')).toBe("'-x");
    expect(tsvCell(2.5)).toBe('2.5');
  });
});

describe('provenance and names', () => {
  const p = { seed: 7, step: 600, settings: 'seed=7&videos=2000&negatives=64', backend: 'wasm' };

  it('starts a CSV with the settings, seed, step and backend as comment lines', () => {
    const text = withProvenance('a,b\n1,2\n', p, 'training history');
    expect(text.split('\n')).toEqual([
      '# RecSys Playground: training history',
      '# settings: #seed=7&videos=2000&negatives=64',
      '# seed: 7, step: 600, backend: wasm',
      'a,b',
      '1,2',
      '',
    ]);
  });

  it('keeps a settings string on one line', () => {
    const text = withProvenance('x\n', { ...p, settings: '#a=1\nb=2' }, 'x');
    expect(text.split('\n')[1]).toBe('# settings: #a=1 b=2');
  });

  it('names a file by what, seed and step', () => {
    expect(exportName('Training history', p, 'csv')).toBe(
      'recsys-training-history-seed7-step600.csv',
    );
    expect(exportName('softmaxScatter', p, 'svg')).toBe('recsys-softmax-scatter-seed7-step600.svg');
    expect(exportName('projector vectors', { seed: 11, step: 0 }, 'tsv')).toBe(
      'recsys-projector-vectors-seed11-step0.tsv',
    );
  });
});

describe('Embedding Projector files', () => {
  const meta: VideoMetaMessage = {
    type: 'videoMeta',
    runId: 1,
    topic: Uint16Array.from([0, 1, 0]),
    topicNames: ['cats', 'cars'],
    popularityRank: Int32Array.from([2, 0, 1]),
    ageDays: Float32Array.from([10.126, -1, 400]),
    clickbait: Uint8Array.from([0, 1, 0]),
    titles: ['=cmd|calc', 'Fast\tcars', ''],
  };

  it('writes one tab-separated vector per line', () => {
    const v = Float32Array.from([0.1, -0.25, 1 / 3, 2, 0, -1e-8]);
    expect(projectorVectorsTsv(v, 3, 2)).toBe('0.1\t-0.25\n0.333333\t2\n0\t-1e-8\n');
    expect(() => projectorVectorsTsv(v, 4, 2)).toThrow(/need 4 × 2/);
  });

  it('writes a header and one metadata line per video, in the vectors order', () => {
    const lines = projectorMetadataTsv(meta, 3).trimEnd().split('\n');
    expect(lines).toEqual([
      'video\ttitle\ttopic\tpopularity_rank\tage_days\tclickbait',
      "0\t'=cmd|calc\tcats\t3\t10.13\t0",
      '1\tFast cars\tcars\t1\t-1\t1',
      '2\tvideo 2\tcats\t2\t400\t0',
    ]);
  });
});
