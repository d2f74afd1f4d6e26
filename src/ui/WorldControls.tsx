/**
 * The world's settings form: seed, videos and users, the other settings under "More
 * settings", and the Generate button. Validation happens in the store on submit: a bad value
 * shows a message naming the field and its range, and the current world stays on screen.
 * Under the form, the estimate of the draft's world (impressions, memory, build time) says
 * before any build whether Generate will build, ask first (`world.confirm`) or refuse.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { useAppStore } from '../state/store';
import { draftEstimate } from '../state/world-slice';
import {
  ALWAYS_SET,
  WORLD_KEYS,
  WORLD_PARAMS,
  draftFrom,
  rangeMessage,
  type WorldDraft,
} from '../state/world-settings';

const MAIN = ALWAYS_SET as readonly string[];
const MORE = WORLD_KEYS.filter((k) => !MAIN.includes(k));

/** Label text of each setting in the form. */
const LABELS: Record<keyof WorldDraft, string> = {
  seed: 'Seed',
  videos: 'Videos',
  users: 'Users',
  days: 'Days',
  topics: 'Topics',
  latentDim: 'Latent dimension',
  zipfExponent: 'Zipf exponent',
  clickbaitShare: 'Clickbait share',
  seriesShare: 'Series share',
  catalogueShare: 'Catalogue at day 0',
  sessionsPerDay: 'Sessions per day',
  impressionsPerSession: 'Impressions per session',
  searchRate: 'Search rate',
  languages: 'Languages',
  demographicEffect: 'Demographic effect',
  splitDay: 'First held-out day',
};

/** The settings form of the World view. */
export function WorldControls() {
  const settings = useAppStore((s) => s.settings);
  const problems = useAppStore((s) => s.problems);
  const pending = useAppStore((s) => s.pendingRequest !== null);
  const submit = useAppStore((s) => s.submitWorldForm);
  const sizeCheck = useAppStore((s) => s.sizeCheck);
  const confirmWorld = useAppStore((s) => s.confirmWorld);
  const cancelWorld = useAppStore((s) => s.cancelWorld);

  // The draft follows the store's settings whenever they change (a submit, a URL edit).
  const [draft, setDraft] = useState<WorldDraft>(() => draftFrom(settings));
  const [draftOf, setDraftOf] = useState(settings);
  if (draftOf !== settings) {
    setDraftOf(settings);
    setDraft(draftFrom(settings));
  }

  // Open "More settings" when one of its fields is at fault, so the message has its field.
  const [moreOpen, setMoreOpen] = useState(false);
  const [problemsSeen, setProblemsSeen] = useState(problems);
  if (problemsSeen !== problems) {
    setProblemsSeen(problems);
    if (problems.some((p) => p.field !== undefined && MORE.includes(p.field as keyof WorldDraft)))
      setMoreOpen(true);
  }
  const setMore = MORE.filter((k) => settings[k] !== undefined).length;

  // What the draft would cost, said before any build (nothing while the draft is not valid).
  const estimate = useMemo(() => draftEstimate(draft), [draft]);

  const bad = new Set(problems.map((p) => p.field));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit(draft);
  };

  const field = (key: keyof WorldDraft) => {
    const spec = WORLD_PARAMS[key];
    return (
      <label key={key} className="field">
        <span>{LABELS[key]}</span>
        <input
          type="text"
          inputMode={spec.integer ? 'numeric' : 'decimal'}
          data-testid={`param.${key}`}
          name={key}
          value={draft[key]}
          placeholder={key === 'splitDay' ? 'days − 7' : String(spec.default)}
          title={`${spec.help}; ${rangeMessage(key).replace(`${key} must be `, '')}`}
          aria-invalid={bad.has(key) || undefined}
          onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        />
      </label>
    );
  };

  return (
    <form className="controls" onSubmit={onSubmit} noValidate>
      <div className="controls-main">
        {MAIN.map((k) => field(k as keyof WorldDraft))}
        <button type="submit" className="primary" data-testid="world.generate">
          {pending ? 'Generating…' : 'Generate'}
        </button>
      </div>
      {estimate && (
        <p className="built" data-testid="world.estimate">
          This world: {estimate.text}
          {estimate.refused
            ? ' — too large for a browser tab; Generate will refuse it.'
            : estimate.asks
              ? ' — Generate will ask before building it.'
              : '.'}
        </p>
      )}
      {sizeCheck && (
        <div
          className="notice"
          data-testid="world.confirm"
          role="alertdialog"
          aria-label="Build a large world?"
        >
          <p>
            Build this large world ({sizeCheck.settings.videos} videos, {sizeCheck.settings.users}{' '}
            users)? Estimate: {sizeCheck.text}. It builds in a background worker; the world on
            screen stays until the new one is ready.
          </p>
          <button
            type="button"
            className="primary"
            data-testid="world.confirm.build"
            onClick={confirmWorld}
          >
            Build it
          </button>{' '}
          <button type="button" data-testid="world.confirm.cancel" onClick={cancelWorld}>
            Cancel
          </button>
        </div>
      )}
      <details
        className="controls-more"
        open={moreOpen}
        onToggle={(e) => setMoreOpen(e.currentTarget.open)}
      >
        <summary>More settings{setMore > 0 ? ` (${setMore} set)` : ''}</summary>
        <div className="controls-panel">
          <p className="hint">Leave a field blank for its default; press Generate to apply.</p>
          <div className="controls-grid">{MORE.map((k) => field(k))}</div>
        </div>
      </details>
    </form>
  );
}
