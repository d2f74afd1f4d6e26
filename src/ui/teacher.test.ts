import { describe, expect, it } from 'vitest';
import { HIDEABLE, PANELS } from '../state/protocol';
import { PANEL_SELECTORS, hideRules, selectorOf } from './teacher';

describe('teacher mode', () => {
  it('has a selector for every panel the URL may name, and no other', () => {
    expect(Object.keys(PANEL_SELECTORS).sort()).toEqual([...PANELS].sort());
  });

  it('hides tabs by their test id and knobs with the control that holds them', () => {
    expect(selectorOf('tab.softmax')).toBe('[data-testid="tab.softmax"]');
    expect(selectorOf('negatives')).toBe(
      ':is(.param, .field):has([data-testid="param.negatives"]), [data-testid="param.negatives"]',
    );
    expect(selectorOf('header')).toBe('.app-header');
    expect(hideRules([])).toBe('');
    expect(hideRules(['tabs', 'tab.world']).split('\n')).toEqual([
      '.tabs { display: none !important; }',
      '[data-testid="tab.world"] { display: none !important; }',
    ]);
  });

  it('can hide every knob, tab and panel', () => {
    for (const n of ['negatives', 'logQ', 'funnelN', 'studySampler', 'videos', 'tab.lessons'])
      expect(HIDEABLE).toContain(n);
  });
});
