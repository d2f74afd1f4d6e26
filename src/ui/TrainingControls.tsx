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
  TRAINING_KEYS,
  TRAINING_PARAMS,
  formatTrainingValue,
  trainingRow,
  type TrainingGroup,
  type TrainingKey,
} from '../state/training-settings';
import { GlossaryLink } from './glossary/Glossary';
import { KNOB_TERMS } from './glossary/terms';

type Key = TrainingKey;

/** The form's fieldsets: each row of the parameter table lands in its group's. */
const GROUP_TITLES: Record<TrainingGroup, string> = {
  candidate: 'Candidate generation',
  tower: 'User tower',
  ranking: 'Ranking',
  run: 'Run',
};

const GROUPS = (Object.keys(GROUP_TITLES) as TrainingGroup[]).map((group) => ({
  title: GROUP_TITLES[group],
  keys: TRAINING_KEYS.filter((k) => TRAINING_PARAMS[k].group === group),
}));

/** A switch's label: `exampleAge` → "example age". */
const words = (name: string) => name.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);

/** Integer knobs with at most this many values get a menu instead of a box. */
const MENU_MAX = 8;

/** A number box that commits on Enter or blur. */
function NumberField({
  name,
  value,
  bad,
  labelId,
}: {
  name: Key;
  value: string;
  bad: boolean;
  labelId: string;
}) {
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
      aria-labelledby={labelId}
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
  const spec = trainingRow(name);
  const params = useAppStore((s) => s.trainingParams);
  const problems = useAppStore((s) => s.trainingProblems);
  const stale = useAppStore((s) => needsReset(s).includes(name));
  const setParam = useAppStore((s) => s.setTrainingParam);
  const bad = problems.some((p) => p.field === name);
  const value = params[name];
  const title = `${spec.help}; ${spec.range}${spec.live ? '; applies at once' : '; needs a reset'}`;
  const labelId = `param-label-${name}`;
  const [help, setHelp] = useState(false);

  let input;
  if (spec.kind === 'bool') {
    input = (
      <input
        type="checkbox"
        data-testid={`param.${name}`}
        name={name}
        aria-labelledby={labelId}
        checked={value as boolean}
        onChange={(e) => setParam(name, e.target.checked as never)}
      />
    );
  } else if (spec.kind === 'enum' || (spec.kind === 'int' && spec.max! - spec.min! < MENU_MAX)) {
    const options =
      spec.options ??
      Array.from({ length: spec.max! - spec.min! + 1 }, (_, i) => String(spec.min! + i));
    input = (
      <select
        data-testid={`param.${name}`}
        name={name}
        aria-labelledby={labelId}
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
  } else if (spec.kind === 'set') {
    const f = value as Record<string, boolean>;
    input = (
      <span
        className="feature-boxes"
        role="group"
        aria-labelledby={labelId}
        data-testid={`param.${name}`}
      >
        {spec.options!.map((k) => (
          <label key={k} className="check">
            <input
              type="checkbox"
              data-testid={`param.${name}.${k}`}
              checked={f[k]}
              onChange={(e) => setParam(name, { ...f, [k]: e.target.checked } as never)}
            />
            {words(k)}
          </label>
        ))}
      </span>
    );
  } else {
    input = (
      <NumberField
        name={name}
        value={formatTrainingValue(name, value as never)}
        bad={bad}
        labelId={labelId}
      />
    );
  }

  return (
    <>
      <div className={`param${stale ? ' stale' : ''}`} title={title}>
        <span className="param-label" id={labelId}>
          {spec.label}
          {!spec.live && <span className="badge">reset</span>}
        </span>
        <button
          type="button"
          className="help-toggle"
          aria-expanded={help}
          aria-controls={`${labelId}-help`}
          aria-label={`What is ${spec.label}?`}
          data-testid={`help.${name}`}
          onClick={() => setHelp(!help)}
        >
          ?
        </button>
        {input}
      </div>
      {help && (
        <p className="param-help" id={`${labelId}-help`} data-testid={`help.${name}.text`}>
          {spec.help[0].toUpperCase() + spec.help.slice(1)}. Allowed: {spec.range}.{' '}
          {spec.live
            ? 'Applies from the next step.'
            : 'Needs a reset: it changes the models’ shape.'}
          {KNOB_TERMS[name] && (
            <>
              {' '}
              <GlossaryLink term={KNOB_TERMS[name]}>Glossary</GlossaryLink>
            </>
          )}
        </p>
      )}
    </>
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
