/**
 * The Feedback loop tab's data: each policy's curve of a round metric, and the rows of the
 * per-round table. Pure functions, tested without a DOM.
 */
import {
  POLICY_IDS,
  POLICY_LABELS,
  ROUND_METRICS,
  type PolicyId,
  type RoundMetricKey,
  type RoundMetrics,
} from '../../state/loop-protocol';
import type { LoopRunState } from '../../state/loop-store';
import type { LineChartData, LineSeries } from './line-chart';

/** One colour per policy (the same in every chart). */
export const POLICY_COLOURS: Record<PolicyId, string> = {
  model: '#2c6fad',
  ageOff: '#e6550d',
  explore: '#2e7d32',
  frozen: '#756bb1',
  legacy: '#636363',
  oracle: '#b3261e',
};

/** The policies of a run, in display order, with the rounds measured so far. */
export function runPolicies(run: LoopRunState): { id: PolicyId; rounds: RoundMetrics[] }[] {
  return POLICY_IDS.filter((p) => run.settings.policies[p]).map((id) => ({
    id,
    rounds: run.rounds[id] ?? [],
  }));
}

/** One chart of `key` over the rounds: a line per policy (controls dashed). */
export function loopCurveData(run: LoopRunState | null, key: RoundMetricKey): LineChartData {
  const series: LineSeries[] = run
    ? runPolicies(run).map(({ id, rounds }) => ({
        label: POLICY_LABELS[id],
        colour: POLICY_COLOURS[id],
        dashed: id === 'frozen' || id === 'oracle' || id === 'legacy',
        dots: true,
        points: rounds
          .map((m): [number, number] => [m.round, m[key] ?? NaN])
          .filter(([, y]) => Number.isFinite(y)),
      }))
    : [];
  const label = ROUND_METRICS.find((m) => m.key === key)?.label ?? key;
  return {
    series,
    xTitle: 'round (day served)',
    yTitle: label,
    zeroBased: true,
    minXMax: run?.settings.rounds ?? 10,
    integerX: true,
    empty: 'press Run',
  };
}

/** The table's rows: one per policy and round measured, in policy then round order. */
export function loopTableRows(run: LoopRunState | null): { id: PolicyId; m: RoundMetrics }[] {
  if (!run) return [];
  return runPolicies(run).flatMap(({ id, rounds }) => rounds.map((m) => ({ id, m })));
}

/** A metric's cell: its value with `digits` digits, or — when there is none. */
export function cell(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}
