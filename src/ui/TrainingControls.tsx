/**
 * The hyperparameter form of the Training view, one control per parameter (test id
 * `param.<name>`), grouped by model. Live knobs apply from the next step; structural ones are
 * marked "reset" and, once changed, wait for Reset to rebuild the models. A number box is
 * checked when it is committed (Enter or leaving the box): a bad value shows a message naming
 * the field and its range, and the value in effect stays.
 */
import { useState, type KeyboardEvent } from 'react';
import { useAppStore } from '../state/store';
import { needsReset } from '../state/training-slice';
import {
  FEATURE_NAMES,
  TRAINING_PARAMS,
  formatTrainingValue,
  type TrainingParamSpec,
} from '../state/training-settings';
import type { FeatureChoice, TrainingParams } from '../state/protocol';

type Key = keyof TrainingParams;

const GROUPS: { title: string; keys: Key[] }[] = [
  {
    title: 'Candidate generation',
    keys: ['lr', 'batch', 'negatives', 'sampler', 'alpha', 'logQ', 'accidentalHits'],
  },
  { title: 'User tower', keys: ['depth', 'width', 'features'] },
  { title: 'Ranking', keys: ['weighting', 'rankingLr'] },
  { title: 'Run', keys: ['trainSeed', 'backend'] },
];

const FEATURE_LABELS: Record<keyof FeatureChoice, string> = {
  searches: 'searches',
  demographics: 'demographics',
  exampleAge: 'example age',
};

/** A number box that commits on Enter or blur. */
function NumberField({ name, value, bad }: { name: Key; value: string; bad: boolean }) {
  const submit = useAppStore((s) => s.submitTrainingField);
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setDraft(value);
  }
  const commit = () => {
    if (draft.trim() !== value) submit(name, draft);
  };
  return (
    <input
      type="text"
      inputMode="decimal"
      data-testid={`param.${name}`}
      name={name}
      value={draft}
      aria-invalid={bad || undefined}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
        if (e.key === 'Enter') commit();
      }}
    />
  );
}

/** One parameter's control. */
function Control({ name }: { name: Key }) {
  const spec = TRAINING_PARAMS[name] as TrainingParamSpec<unknown>;
  const params = useAppStore((s) => s.trainingParams);
  const problems = useAppStore((s) => s.trainingProblems);
  const stale = useAppStore((s) => needsReset(s).includes(name));
  const setParam = useAppStore((s) => s.setTrainingParam);
  const bad = problems.some((p) => p.field === name);
  const value = params[name];
  const title = `${spec.help}; ${spec.range}${spec.live ? '; applies at once' : '; needs a reset'}`;

  let input;
  if (spec.kind === 'bool') {
    input = (
      <input
        type="checkbox"
        data-testid={`param.${name}`}
        name={name}
        checked={value as boolean}
        onChange={(e) => setParam(name, e.target.checked as never)}
      />
    );
  } else if (spec.kind === 'enum' || name === 'depth') {
    const options = spec.options ?? ['0', '1', '2', '3', '4'];
    input = (
      <select
        data-testid={`param.${name}`}
        name={name}
        value={String(value)}
        aria-invalid={bad || undefined}
        onChange={(e) => setParam(name, spec.parse(e.target.value) as never)}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === 'features') {
    const f = value as FeatureChoice;
    input = (
      <span className="feature-boxes" data-testid="param.features">
        {FEATURE_NAMES.map((k) => (
          <label key={k} className="check">
            <input
              type="checkbox"
              data-testid={`param.features.${k}`}
              checked={f[k]}
              onChange={(e) => setParam('features', { ...f, [k]: e.target.checked })}
            />
            {FEATURE_LABELS[k]}
          </label>
        ))}
      </span>
    );
  } else {
    input = <NumberField name={name} value={formatTrainingValue(name, value as never)} bad={bad} />;
  }

  return (
    <div className={`param${stale ? ' stale' : ''}`} title={title}>
      <span className="param-label">
        {spec.label}
        {!spec.live && <span className="badge">reset</span>}
      </span>
      {input}
    </div>
  );
}

/** The form. */
export function TrainingControls() {
  return (
    <aside className="train-controls" aria-label="Hyperparameters">
      {GROUPS.map((g) => (
        <fieldset key={g.title}>
          <legend>{g.title}</legend>
          {g.keys.map((k) => (
            <Control key={k} name={k} />
          ))}
        </fieldset>
      ))}
      <p className="hint">
        Knobs apply from the next step; those marked <span className="badge">reset</span> rebuild
        the models on Reset. Every setting lives in the URL.
      </p>
    </aside>
  );
}
