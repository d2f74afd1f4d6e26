import { describe, expect, it } from 'vitest';
import { METRICS } from '../../state/lessons-protocol';
import { DEFAULT_TRAINING_PARAMS } from '../../state/training-settings';
import { GLOSSARY, KNOB_TERMS, METRIC_TERMS, glossaryTerm } from './terms';

describe('glossary', () => {
  it('has unique ids and a sentence for every term', () => {
    expect(new Set(GLOSSARY.map((t) => t.id)).size).toBe(GLOSSARY.length);
    for (const t of GLOSSARY) {
      expect(t.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(t.text.length, t.id).toBeGreaterThan(40);
    }
  });

  it('explains the terms the issue names and every lesson metric', () => {
    for (const id of ['logq', 'nprobe', 'e-z', 'kl', 'series-forward', 'recall-at-k', 'map'])
      expect(glossaryTerm(id), id).toBeDefined();
    for (const id of ['example-age', 'watch-bag', 'sampled-softmax', 'weighted-per-user-loss'])
      expect(glossaryTerm(id), id).toBeDefined();
    for (const m of Object.keys(METRICS))
      if (m !== 'msPerStep') expect(glossaryTerm(METRIC_TERMS[m] ?? ''), m).toBeDefined();
  });

  it('links knobs that exist to terms that exist', () => {
    for (const [knob, term] of Object.entries(KNOB_TERMS)) {
      expect(glossaryTerm(term), term).toBeDefined();
      if (!['nprobe', 'zipfExponent'].includes(knob))
        expect(knob in DEFAULT_TRAINING_PARAMS, knob).toBe(true);
    }
  });
});
