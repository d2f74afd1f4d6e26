import { describe, expect, it } from 'vitest';
import { FUNNEL_NS, MAX_NPROBE } from '../protocol/params';
import {
  DEFAULT_FUNNEL,
  FUNNEL_K_MAX,
  SERVING_KEYS,
  SERVING_PARAMS,
  parseFunnelK,
  parseFunnelN,
  parseServing,
} from './funnel-settings';

const N_LIST = '10, 20, 50, 100, 200, 500, 1000, 2000';

describe('funnel (serving) settings', () => {
  it('has the documented defaults and keys', () => {
    expect(DEFAULT_FUNNEL).toEqual({ funnelN: 100, funnelK: 10, nprobe: 8 });
    expect(FUNNEL_K_MAX).toBe(50);
    expect(MAX_NPROBE).toBe(64);
    expect(SERVING_KEYS).toEqual(['funnelN', 'funnelK', 'nprobe']);
    expect(Object.keys(SERVING_PARAMS)).toEqual(SERVING_KEYS);
    expect(FUNNEL_NS.join(', ')).toBe(N_LIST);
    for (const k of SERVING_KEYS) {
      expect(SERVING_PARAMS[k].live, k).toBe(true);
      expect(DEFAULT_FUNNEL[k], k).toBe(SERVING_PARAMS[k].default);
    }
  });

  it('funnelN: every value of the list, nothing else', () => {
    for (const n of FUNNEL_NS) {
      expect(parseFunnelN(String(n)), String(n)).toBe(n);
      expect(parseServing('funnelN', String(n)), String(n)).toBe(n);
    }
    for (const raw of ['300', 'abc', '', '100.5', '-10', '0']) {
      expect(() => parseFunnelN(raw), raw).toThrow(
        `funnelN must be one of ${N_LIST} (got ${JSON.stringify(raw)})`,
      );
    }
  });

  it('funnelK: an integer from 1 to 50', () => {
    expect(parseFunnelK('1')).toBe(1);
    expect(parseFunnelK('7')).toBe(7);
    expect(parseFunnelK('50')).toBe(50);
    expect(parseServing('funnelK', '50')).toBe(50);
    expect(() => parseFunnelK('0')).toThrow('funnelK must be an integer from 1 to 50 (got "0")');
    for (const raw of ['51', '2.5', '', '  ', 'abc', '-1', 'Infinity']) {
      expect(() => parseFunnelK(raw), raw).toThrow(
        `funnelK must be an integer from 1 to 50 (got ${JSON.stringify(raw)})`,
      );
    }
  });

  it('nprobe: an integer from 1 to 64', () => {
    expect(parseServing('nprobe', '1')).toBe(1);
    expect(parseServing('nprobe', '64')).toBe(64);
    for (const raw of ['0', '65', '1.5', '', 'x']) {
      expect(() => parseServing('nprobe', raw), raw).toThrow(
        `nprobe must be an integer from 1 to 64 (got ${JSON.stringify(raw)})`,
      );
    }
  });

  it('the parsers throw a ConfigError naming the key', () => {
    for (const k of SERVING_KEYS) {
      let error: unknown;
      try {
        parseServing(k, 'nope');
      } catch (e) {
        error = e;
      }
      expect(error, k).toBeInstanceOf(Error);
      expect((error as Error).name, k).toBe('ConfigError');
      expect((error as { field: string }).field, k).toBe(k);
      expect((error as Error).message, k).toContain(`${k} must be ${SERVING_PARAMS[k].range}`);
    }
  });

  it('round-trips every default through its text', () => {
    for (const k of SERVING_KEYS) {
      const row = SERVING_PARAMS[k];
      expect(parseServing(k, row.format(DEFAULT_FUNNEL[k])), k).toBe(DEFAULT_FUNNEL[k]);
    }
  });
});
