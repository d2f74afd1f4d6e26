/**
 * Offline against online in the simulated A/B test (docs/loop.md#the-ab-test): for each offline
 * metric of the two arms (recall@100, MAP, the ranker's AUC), does its difference B − A point
 * the same way as the online difference in watch minutes per user? The paper's point (§4.2,
 * §3.4) is that they can disagree. Pure.
 */
import type { Estimate } from './ab-stats';
import type { AbResult } from './result';

/** The offline metrics compared, with their labels (higher is better for each). */
export const OFFLINE_METRICS = [
  { key: 'recall100', label: 'recall@100' },
  { key: 'map', label: 'MAP' },
  { key: 'auc', label: 'ranker AUC' },
] as const;

/** One offline metric against the online result. */
export interface OfflineAgreement {
  key: (typeof OFFLINE_METRICS)[number]['key'];
  label: string;
  /** B − A offline. */
  diff: number;
  /**
   * true when the offline difference has the online difference's sign, false when the other;
   * null when either is 0 (the arms share that model, or the online interval holds 0).
   */
  agrees: boolean | null;
}

/** Offline against online for an A/B result. */
export interface OfflineVsOnline {
  /** B − A in watch minutes per user, with its 95% interval. */
  online: Estimate;
  /** +1 when the online interval is above 0, −1 below, 0 when it holds 0. */
  onlineSide: -1 | 0 | 1;
  rows: OfflineAgreement[];
  /** The comparison in one sentence, from the numbers. */
  sentence: string;
}

const signed = (x: number, d: number) => (x >= 0 ? '+' : '−') + Math.abs(x).toFixed(d);

/** Compares each offline difference with the online watch-time difference. */
export function offlineVsOnline(r: AbResult): OfflineVsOnline {
  const online = r.metrics.minutes.diff;
  const onlineSide: -1 | 0 | 1 = online.lo > 0 ? 1 : online.hi < 0 ? -1 : 0;
  const [A, B] = r.arms;
  const rows = OFFLINE_METRICS.map(({ key, label }): OfflineAgreement => {
    const diff = B.offline[key] - A.offline[key];
    const side = diff > 0 ? 1 : diff < 0 ? -1 : 0;
    return {
      key,
      label,
      diff,
      agrees: side === 0 || onlineSide === 0 ? null : side === onlineSide,
    };
  });
  const word = (a: boolean | null) => (a === null ? 'no call' : a ? 'agrees' : 'disagrees');
  const online3 = `${signed(online.value, 1)} [${signed(online.lo, 1)}, ${signed(online.hi, 1)}]`;
  const sentence =
    `Online, B − A watch minutes per user: ${online3}` +
    (onlineSide === 0
      ? ' (the interval holds 0)'
      : onlineSide > 0
        ? ' (B better)'
        : ' (A better)') +
    '. Offline B − A: ' +
    rows.map((x) => `${x.label} ${signed(x.diff, 4)} (${word(x.agrees)})`).join(', ') +
    '.';
  return { online, onlineSide, rows, sentence };
}
