/**
 * The slice of the analysis views: the focus user, the Sampled-softmax view (its own sampler,
 * K and logQ to study, the worker's answer, the negatives sweep), the Funnel view (N and k,
 * URL-backed; the worker's answer); the Embeddings view's UMAP layout is `umap-slice.ts`.
 *
 * Live refresh: a view that is open calls {@link AnalysisSlice.refresh} when the metric history
 * grows; a new request goes out only when none is in flight and the last answer is older than
 * the latest evaluation, so the worker never queues more than one of each.
 */
import type { StateCreator } from 'zustand';
import { TRAINING_SWEEP_NEGATIVES } from '../protocol';
import { samplerForStudy, type StudySettings } from '../protocol/params';
import type { AnalysisSlice, AppState, LiveAnalysis, SoftmaxStudy } from './app-state';
import { DEFAULT_FUNNEL, parseServing } from './funnel-settings';
import type { HashProblem } from './url-hash';
import type { WorkerChannel } from './worker-channel';

export type { AnalysisSlice, LiveAnalysis, SoftmaxStudy } from './app-state';

/**
 * Least steps between two live funnel answers: one costs seconds of worker time on the default
 * world (an IVF build and 40 users × 8 N × 2 retrievals, each ranked), so it follows every
 * other evaluation, not each one. A changed setting or user asks at once.
 */
export const FUNNEL_REFRESH_STEPS = 100;

/** Steps a sweep trains each K when the page does not say. */
export const DEFAULT_SWEEP_STEPS = 200;

/**
 * The study: what was set (URL or control) over the run's own settings (full softmax, which
 * has no sampler to study, → the popularity sampler).
 */
export function studyFrom(
  s: Pick<AppState, 'trainingParams' | 'studySet'>,
  set: Partial<StudySettings> = s.studySet,
): SoftmaxStudy {
  const p = s.trainingParams;
  return {
    sampler: set.studySampler ?? samplerForStudy(p.sampler),
    negatives: set.studyNegatives ?? p.negatives,
    alpha: set.studyAlpha ?? p.alpha,
    logQ: set.studyLogQ ?? p.logQ,
  };
}

/** The study's URL keys of a study. */
function studyKeys(study: Partial<SoftmaxStudy>): Partial<StudySettings> {
  const out: Partial<StudySettings> = {};
  if (study.sampler !== undefined) out.studySampler = study.sampler;
  if (study.negatives !== undefined) out.studyNegatives = study.negatives;
  if (study.alpha !== undefined) out.studyAlpha = study.alpha;
  if (study.logQ !== undefined) out.studyLogQ = study.logQ;
  return out;
}

/** Creates the slice; `channel` is the worker shared with the other slices. */
export function createAnalysisSlice(
  channel: WorkerChannel,
): StateCreator<AppState, [], [], AnalysisSlice> {
  /** The latest evaluation step when each kind last failed: no automatic retry before the next. */
  const failedAt: Record<LiveAnalysis, number | null> = { softmax: null, funnel: null };
  return (set, get) => {
    const problem = (key: keyof AnalysisSlice['analysisProblems'], message: string | null) =>
      set({
        analysisProblems: {
          ...get().analysisProblems,
          [key]: message === null ? undefined : { message },
        },
      });
    const live = (): number | null => {
      const { run } = get();
      return run.runId !== 0 && run.built && run.state !== 'failed' ? run.runId : null;
    };
    return {
      focusUser: -1,
      funnelSet: {},
      studySet: {},
      funnel: { ...DEFAULT_FUNNEL },
      softmaxStudy: null,
      softmax: null,
      funnelResult: null,
      sweep: null,
      pending: { softmax: false, funnel: false },
      analysisProblems: {},

      setAnalysisProblem(key, message) {
        problem(key, message);
      },

      applyAnalysisUrl(serving, study, problems) {
        const before = get().funnel;
        const funnel = { ...DEFAULT_FUNNEL, ...serving };
        const studyChanged = JSON.stringify(study) !== JSON.stringify(get().studySet);
        set({
          funnelSet: serving,
          funnel,
          studySet: study,
          softmaxStudy: Object.keys(study).length ? studyFrom(get(), study) : null,
        });
        const text = (ps: HashProblem[]) =>
          ps.length ? ps.map((p) => p.message).join('; ') : null;
        problem('funnel', text(problems.serving));
        problem('softmax', text(problems.study));
        if (funnel.funnelK !== before.funnelK || funnel.nprobe !== before.nprobe)
          get().request('funnel');
        if (studyChanged && get().softmax) get().request('softmax');
      },

      setFunnelN(n) {
        set({
          funnelSet: { ...get().funnelSet, funnelN: n },
          funnel: { ...get().funnel, funnelN: n },
        });
        get().writeUrl();
      },

      submitServingField(key, text) {
        let value: number;
        try {
          value = parseServing(key, text.trim());
        } catch (e) {
          problem('funnel', e instanceof Error ? e.message : String(e));
          return false;
        }
        problem('funnel', null);
        set({
          funnelSet: { ...get().funnelSet, [key]: value },
          funnel: { ...get().funnel, [key]: value },
        });
        get().writeUrl();
        if (key !== 'funnelN') get().request('funnel');
        return true;
      },

      submitFunnelK(text) {
        return get().submitServingField('funnelK', text);
      },

      submitFocusUser(text) {
        const t = text.trim();
        const users = get().config?.users ?? 0;
        const user = t === '' ? -1 : Number(t);
        if (t !== '' && !(Number.isInteger(user) && user >= 0 && user < users)) {
          problem(
            'focus',
            `user must be an integer from 0 to ${Math.max(0, users - 1)}, or empty for the first held-out user (got ${JSON.stringify(t)})`,
          );
          return false;
        }
        problem('focus', null);
        set({ focusUser: user });
        get().writeUrl();
        const runId = live();
        if (runId === null) return true;
        channel.send({ type: 'focus', runId, user });
        for (const kind of ['softmax', 'funnel'] as const)
          if (get()[kind === 'softmax' ? 'softmax' : 'funnelResult']) get().request(kind);
        return true;
      },

      applyUrlFocus(user) {
        if (user === undefined || user === get().focusUser) return;
        if (get().config) get().submitFocusUser(String(user));
        else set({ focusUser: user });
      },

      setSoftmaxStudy(study) {
        const studySet = { ...get().studySet, ...studyKeys(study) };
        set({ studySet, softmaxStudy: studyFrom(get(), studySet) });
        get().writeUrl();
        get().request('softmax');
      },

      request(kind) {
        const runId = live();
        if (runId === null || get().pending[kind]) return;
        failedAt[kind] = null;
        set({ pending: { ...get().pending, [kind]: true } });
        if (kind === 'softmax') {
          const study = get().softmaxStudy ?? studyFrom(get());
          if (!get().softmaxStudy) set({ softmaxStudy: study });
          channel.send({ type: 'softmax', runId, user: get().focusUser, ...study });
        } else {
          channel.send({
            type: 'funnel',
            runId,
            user: get().focusUser,
            k: get().funnel.funnelK,
            nprobe: get().funnel.nprobe,
          });
        }
      },

      refresh(kind) {
        const s = get();
        if (s.pending[kind] || live() === null) return;
        const latestEval = s.history.evals.at(-1)?.step ?? 0;
        if (failedAt[kind] === latestEval) return; // it failed on these weights: wait for a change
        const user = s.focusUser;
        if (kind === 'softmax') {
          const last = s.softmax;
          const study = s.softmaxStudy;
          const stale =
            !last ||
            last.step < latestEval ||
            (user !== -1 && last.user !== user) ||
            (study !== null &&
              (last.sampler !== study.sampler ||
                last.negatives !== study.negatives ||
                last.alpha !== study.alpha ||
                last.logQ !== study.logQ));
          if (stale) s.request(kind);
        } else {
          const last = s.funnelResult;
          const stale =
            !last ||
            last.step + FUNNEL_REFRESH_STEPS <= latestEval ||
            last.k !== s.funnel.funnelK ||
            last.nprobe !== s.funnel.nprobe ||
            (user !== -1 && last.example !== null && last.example.user !== user);
          if (stale) s.request(kind);
        }
      },

      startSweep(negatives = [...TRAINING_SWEEP_NEGATIVES], steps = DEFAULT_SWEEP_STEPS) {
        const runId = live();
        if (runId === null) {
          problem('sweep', 'train or step the run once first: the sweep uses its examples');
          return;
        }
        problem('sweep', null);
        set({
          sweep: {
            type: 'negativesSweep',
            runId,
            sampler: '',
            progress: 0,
            total: negatives.length * steps,
            points: [],
            done: false,
            cancelled: false,
          },
        });
        channel.send({ type: 'negativesSweep', runId, negatives, steps });
      },

      cancelSweep() {
        const runId = live();
        if (runId !== null) channel.send({ type: 'cancelSweep', runId });
      },

      receiveAnalysis(m) {
        if (m.runId !== get().run.runId) return;
        switch (m.type) {
          case 'softmax':
            set({ softmax: m, pending: { ...get().pending, softmax: false } });
            problem('softmax', null);
            return;
          case 'funnel': {
            set({ funnelResult: m, pending: { ...get().pending, funnel: false } });
            // A failure of an earlier computation is over; a URL problem stays until fixed.
            const shown = get().analysisProblems.funnel;
            if (shown?.message.startsWith('the funnel:')) problem('funnel', null);
            return;
          }
          case 'negativesSweep':
            set({ sweep: m });
            return;
          case 'vectors':
            get().receiveUmap(m);
            return;
          case 'stepTrace':
            get().receiveStepTrace(m);
            return;
          case 'viewError': {
            if (m.request === 'stepTrace') {
              get().receiveStepTrace(m);
              return;
            }
            const key =
              m.request === 'negativesSweep' || m.request === 'cancelSweep'
                ? 'sweep'
                : m.request === 'vectors'
                  ? 'umap'
                  : m.request;
            if (m.request === 'softmax' || m.request === 'funnel') {
              failedAt[m.request] = get().history.evals.at(-1)?.step ?? 0;
              set({ pending: { ...get().pending, [m.request]: false } });
            }
            if (m.request === 'vectors') get().receiveUmap(m);
            // The worker would not follow that user: the views go back to the automatic one.
            if (m.request === 'focus') set({ focusUser: -1 });
            problem(key, m.message);
            return;
          }
        }
      },

      analysisRunStarted() {
        set({
          softmax: null,
          funnelResult: null,
          sweep: null,
          pending: { softmax: false, funnel: false },
        });
        get().umapRunStarted();
      },

      analysisWorldChanged() {
        set({ focusUser: -1 });
        problem('focus', null);
      },
    };
  };
}
