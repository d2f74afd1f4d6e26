/**
 * The Feedback loop tab's simulated A/B test (docs/loop.md#the-ab-test, #in-the-page): the form
 * (a preset, or two arms among the lessons' variants and the user's runs — the Training tab's
 * run, a run kept in the browser or a picked run file, each its knobs retrained in the A/B
 * world), Run/Cancel and progress, then the offline table beside the online one with intervals
 * and the users needed. The choice of models lives in the loop store (`abChoice`), so a lesson's
 * "A/B these arms" link can preselect it.
 */
import { useRef, useState } from 'react';
import {
  AB_METRICS,
  AB_PARAMS,
  AB_PRESETS,
  AB_PRESET_LABELS,
  RUN_PREFIX,
  abArmRefs,
  armLessons,
  armRefText,
  checkAbSettings,
  offlineVsOnline,
  type AbPreset,
  type AbRunArm,
  type AbSettings,
  type Param,
} from '../state/loop-protocol';
import { loopStore, useLoop, type AbRunState } from '../state/loop-store';
import { CURRENT_RUN, currentRunArm, fileRunArm, keptRunArm } from '../state/ab-runs';
import { useAppStore } from '../state/store';
import { cell } from './charts/loop-data';
import { TermHelp } from './glossary/Glossary';
import { JobControls, NumberField, readTexts, type Texts } from './loop-controls';

/** The A/B test's number knobs in the form (with the models menu). */
const AB_FIELDS = ['abDays', 'abUsers'] as const;

/** The models menu's entry for two arms, and the pair it starts with. */
const LESSON_ARMS = 'lessons';
const DEFAULT_LESSON_ARMS = 'watch-time:ctr,watch-time:weighted';
/** The arm menus' entry that opens the file picker. */
const PICK_FILE = '__file__';

/** The A/B test's settings, Run/Cancel and progress. */
function AbControls({ run }: { run: AbRunState | null }) {
  const saved = useLoop((s) => s.abSettings);
  const ab = useLoop((s) => s.abChoice);
  const abRuns = useLoop((s) => s.abRuns);
  const kept = useAppStore((s) => s.pinnedRuns);
  const trainingStep = useAppStore((s) => s.run.step);
  const [texts, setTexts] = useState<Texts>(() => ({
    abDays: String(saved.abDays),
    abUsers: String(saved.abUsers),
  }));
  const [fileProblem, setFileProblem] = useState('');
  const picker = useRef<HTMLInputElement>(null);
  const pickFor = useRef<0 | 1>(0);
  const isPreset = (AB_PRESETS as readonly string[]).includes(ab);
  const refs = isPreset ? null : abArmRefs(ab);
  const arms = refs ? refs.map(armRefText) : [];
  const setAb = (v: string) => loopStore.getState().setAbChoice(v);
  const setArm = (i: 0 | 1, ref: string) =>
    setAb(i === 0 ? `${ref},${arms[1]}` : `${arms[0]},${ref}`);
  const adopt = (i: 0 | 1, load: Promise<AbRunArm>) =>
    load.then(
      (r) => {
        loopStore.getState().addAbRun(r);
        setFileProblem('');
        setArm(i, `${RUN_PREFIX}${r.name}`);
      },
      (e: unknown) => setFileProblem(e instanceof Error ? e.message : String(e)),
    );
  const onArm = (i: 0 | 1, value: string) => {
    if (value === PICK_FILE) {
      pickFor.current = i;
      picker.current?.click();
      return;
    }
    const name = value.startsWith(RUN_PREFIX) ? value.slice(RUN_PREFIX.length) : null;
    const info = name && kept.find((k) => k.name === name);
    if (info && !abRuns.some((r) => r.name === name)) void adopt(i, keptRunArm(info));
    else setArm(i, value);
  };
  // Every run the menus offer: the Training tab's, the kept ones, the files picked.
  const runOptions = [
    { name: CURRENT_RUN, text: `the Training tab’s run (its knobs; step ${trainingStep})` },
    ...kept.map((k) => ({ name: k.name, text: `kept run: seed ${k.seed} · step ${k.step}` })),
    ...abRuns
      .filter((r) => r.name !== CURRENT_RUN && !kept.some((k) => k.name === r.name))
      .map((r) => ({ name: r.name, text: `file ${r.name} (step ${r.step})` })),
  ];
  const loopSettings = useLoop((s) => s.loopSettings);
  const running = run?.status === 'running';
  return (
    <JobControls
      job="ab"
      run={run}
      runLabel="Run the A/B test"
      progressLabel="A/B test progress"
      settings={() => {
        const names = (refs ?? []).flatMap((r) => ('run' in r ? [r.run] : []));
        const runs = names.map((n) =>
          n === CURRENT_RUN ? currentRunArm() : abRuns.find((r) => r.name === n),
        );
        const { runs: _old, ...rest } = saved;
        void _old;
        return checkAbSettings({
          ...rest,
          seed: loopSettings.seed,
          videos: loopSettings.videos,
          steps: loopSettings.steps,
          positionBias: loopSettings.positionBias,
          ...readTexts(texts, AB_PARAMS as Record<string, Param<unknown>>, AB_FIELDS),
          ab,
          ...(names.length && { runs: runs.filter((r): r is AbRunArm => r !== undefined) }),
        } as AbSettings);
      }}
      start={(settings) => loopStore.getState().startAb(settings)}
      cancel={() => loopStore.getState().cancelAb()}
    >
      <label className="field" title={AB_PARAMS.ab.help}>
        {AB_PARAMS.ab.label}
        <select
          data-testid="ab.preset"
          value={isPreset ? ab : LESSON_ARMS}
          disabled={running}
          onChange={(e) =>
            setAb(e.target.value === LESSON_ARMS ? DEFAULT_LESSON_ARMS : e.target.value)
          }
        >
          {AB_PRESETS.map((p) => (
            <option key={p} value={p}>
              {AB_PRESET_LABELS[p as AbPreset]}
            </option>
          ))}
          <option value={LESSON_ARMS}>two lesson variants or runs…</option>
        </select>
      </label>
      {refs &&
        ([0, 1] as const).map((i) => (
          <label key={i} className="field">
            arm {i === 0 ? 'A' : 'B'}
            <select
              data-testid={`ab.arm${i === 0 ? 'A' : 'B'}`}
              value={arms[i]}
              disabled={running}
              onChange={(e) => onArm(i, e.target.value)}
            >
              {armLessons().map((l) => (
                <optgroup key={l.id} label={l.title}>
                  {l.variants.map((v) => (
                    <option key={v.id} value={`${l.id}:${v.id}`}>
                      {v.label} ({l.id})
                    </option>
                  ))}
                </optgroup>
              ))}
              <optgroup label="Your runs (their knobs, retrained in this A/B world)">
                {runOptions.map((r) => (
                  <option key={r.name} value={`${RUN_PREFIX}${r.name}`}>
                    {r.text}
                  </option>
                ))}
                <option value={PICK_FILE}>a run file…</option>
              </optgroup>
            </select>
          </label>
        ))}
      <input
        ref={picker}
        type="file"
        accept=".recsys-run"
        style={{ display: 'none' }}
        data-testid="ab.runFile"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void adopt(pickFor.current, fileRunArm(file));
        }}
      />
      {AB_FIELDS.map((k) => (
        <NumberField
          key={k}
          row={AB_PARAMS[k] as Param<unknown>}
          texts={texts}
          setTexts={setTexts}
          disabled={running}
          testId={`ab.${k}`}
        />
      ))}
      <span className="muted field-note">
        Seed, videos, steps and position bias are the loop’s (above). A run as an arm is its knobs,
        retrained here like a lesson variant’s; its own weights are not served (they were trained on
        another world).
      </span>
      {fileProblem && (
        <p className="error" role="alert" data-testid="ab.runError">
          {fileProblem}
        </p>
      )}
    </JobControls>
  );
}

const interval = (e: { value: number; lo: number; hi: number }, d: number) =>
  `${cell(e.value, d)} [${cell(e.lo, d)}, ${cell(e.hi, d)}]`;

/** The A/B test's result: offline beside online. */
export function AbResultPanel({ run }: { run: AbRunState | null }) {
  const r = run?.result;
  if (!r)
    return (
      <p className="placeholder">
        Run the A/B test: both models train on the same history, then serve randomised halves of the
        users.
      </p>
    );
  const [A, B] = r.arms;
  const digits = (k: string) => (k === 'clickbaitShare' ? 4 : 2);
  return (
    <div className="loop-ab" data-testid="ab.result">
      <table className="lesson-table" data-testid="ab.offline">
        <caption>Offline, on the legacy world’s held-out data (days {r.world.startDay} on)</caption>
        <thead>
          <tr>
            <th scope="col">arm</th>
            <th scope="col">users (with a session)</th>
            <th scope="col">recall@100</th>
            <th scope="col">MAP</th>
            <th scope="col">ranker AUC</th>
            <th scope="col">clickbait share of top 3</th>
          </tr>
        </thead>
        <tbody>
          {r.arms.map((a) => (
            <tr key={a.id}>
              <th scope="row">
                {a.id}: {a.label}
                {a.note && (
                  <div className="muted" data-testid={`ab.note.${a.id}`}>
                    {a.note}
                  </div>
                )}
              </th>
              <td className="num">
                {a.users} ({a.activeUsers})
              </td>
              <td className="num">{cell(a.offline.recall100, 4)}</td>
              <td className="num">{cell(a.offline.map, 4)}</td>
              <td className="num">{cell(a.offline.auc, 4)}</td>
              <td className="num">{cell(a.offline.clickbaitTop3, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="lesson-table" data-testid="ab.online">
        <caption>
          Online, {r.world.days} day{r.world.days === 1 ? '' : 's'} served: per user with a session,
          mean [95% interval]; users per arm to detect B − A with power 0.8 at α 0.05
        </caption>
        <thead>
          <tr>
            <th scope="col">metric</th>
            <th scope="col">A: {A.label}</th>
            <th scope="col">B: {B.label}</th>
            <th scope="col">B − A</th>
            <th scope="col">
              users per arm needed
              <TermHelp term="users-needed" />
            </th>
          </tr>
        </thead>
        <tbody>
          {AB_METRICS.map(({ key, label }) => {
            const m = r.metrics[key];
            const d = digits(key);
            return (
              <tr key={key} data-testid={`ab.metric.${key}`}>
                <th scope="row">{label}</th>
                <td className="num">{interval(m.a, d)}</td>
                <td className="num">{interval(m.b, d)}</td>
                <td className="num" data-testid={`ab.diff.${key}`}>
                  {interval(m.diff, d)}
                </td>
                <td className="num">
                  {Number.isFinite(m.usersNeeded) ? m.usersNeeded.toLocaleString('en') : '∞'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">
        Users needed per arm: n = 2·(z₀.₉₇₅ + z₀.₈)²·σ²/δ² with σ the per-user standard deviation
        (pooled over the arms) and δ the difference measured. Each arm serves in its own copy of the
        world (a video’s popularity counts only its arm’s watches).
      </p>
      <p data-testid="ab.agreement">{offlineVsOnline(r).sentence}</p>
    </div>
  );
}

/** The A/B test: its form and its result. */
export function AbPanel() {
  const ab = useLoop((s) => s.ab);
  return (
    <>
      <AbControls run={ab} />
      <AbResultPanel run={ab} />
    </>
  );
}
