/**
 * The "Your data" view (docs/own-data.md): load interactions from files (picker or drop),
 * parsed in the worker; the loaded data then is the world every other tab trains and draws on
 * (Training's recall@100 and most-popular, the Embeddings projection, the funnel's retrieval
 * half). A bad file shows its file, line and column here and the data on screen stays. A button
 * goes back to the generated world.
 */
import { useState, type DragEvent } from 'react';
import { useAppStore } from '../state/store';
import { DATA_FIELD } from '../state/world-slice';
import { DATA_FORMATS, DATA_LIMITS, formatBytes, type DataFormat } from '../sim/import/formats';
import { HELD_OUT_SHARE, HELD_OUTS, type HeldOut } from '../sim/import/data-world';
import { fixed, int } from './format';

const FORMAT_TEXT: Record<DataFormat, string> = {
  movielens: 'MovieLens ratings.csv + movies.csv (ml-latest: header, comma)',
  ml100k: 'MovieLens 100K u.data (tab) + u.item (pipe, latin-1)',
  ml1m: 'MovieLens 1M ratings.dat + movies.dat (::, latin-1)',
  csv: 'CSV user,item,timestamp[,watch_seconds][,title] — header line required',
};

const HELD_OUT_TEXT: Record<HeldOut, string> = {
  last: 'each user’s last interaction',
  time: `the latest ${Math.round(100 * HELD_OUT_SHARE)}% by time`,
};

/** Numbers of the loaded data. */
function DatasetFacts() {
  const d = useAppStore((s) => s.dataset);
  if (!d) return null;
  const rows: [string, string][] = [
    ['Files', `${d.files.join(', ')} (${d.format})`],
    ['Users', int(d.users)],
    ['Items', int(d.items)],
    ['Interactions', int(d.interactions)],
    ['Time span', `${d.firstDate} … ${d.lastDate} (${fixed(d.days, 0)} days)`],
    [
      'Training part',
      `${int(d.trainInteractions)} interactions${d.heldOut === 'time' ? ` before ${d.splitDate}` : ''} (next-watch labels in each user's time order)`,
    ],
    [
      'Held out',
      d.heldOut === 'last'
        ? `each user's last interaction: ${int(d.heldOutUsers)} users (those with at least two), one next watch each to score recall on`
        : `${int(d.heldOutInteractions)} interactions from ${d.splitDate} on; ${int(d.heldOutUsers)} users have one, each gives one next watch to score recall on`,
    ],
    ['Titles', `${int(d.titled)} of ${int(d.items)} items`],
    ['Genres (topics)', d.genres.length ? d.genres.join(', ') : 'none (one topic, "all")'],
    ['Watch seconds', d.watchSeconds ? 'given' : 'not given (each interaction counts 1 minute)'],
  ];
  return (
    <table className="data-facts" data-testid="data.summary">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The Your data tab. */
export function DataView() {
  const loadData = useAppStore((s) => s.loadData);
  const generate = useAppStore((s) => s.generate);
  const settings = useAppStore((s) => s.settings);
  const setView = useAppStore((s) => s.setView);
  const dataset = useAppStore((s) => s.dataset);
  const pending = useAppStore((s) => s.pendingRequest !== null);
  const progress = useAppStore((s) => s.progress);
  const error = useAppStore((s) => s.problems.findLast((p) => p.field === DATA_FIELD));
  const [format, setFormat] = useState<DataFormat | 'auto'>('auto');
  const [heldOut, setHeldOut] = useState<HeldOut>('last');
  const [over, setOver] = useState(false);
  const load = (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const files = Array.from(list, (f) => ({ name: f.name, size: f.size, content: f }));
    loadData(files, format === 'auto' ? undefined : format, heldOut);
  };
  const onDrop = (e: DragEvent<HTMLElement>) => {
    e.preventDefault();
    setOver(false);
    load(e.dataTransfer.files);
  };
  return (
    <main className="view data-view" aria-labelledby="data-title">
      <h2 id="data-title">Your data</h2>
      <p>
        Load interactions from files: they are read in the worker, checked line by line, and become
        the world every tab trains on. Candidate generation learns next watches from each
        user&apos;s time order, with logQ from the data&apos;s own popularity; each user&apos;s last
        interaction (or, if chosen, the latest {Math.round(100 * HELD_OUT_SHARE)}% of all
        interactions by time) is held out for recall@k against most-popular and the factorisation
        baseline.
      </p>
      <ul className="data-formats">
        {DATA_FORMATS.map((f) => (
          <li key={f}>
            <code>{f}</code>: {FORMAT_TEXT[f]}
          </li>
        ))}
      </ul>
      <p data-testid="data.limits">
        Limits: {formatBytes(DATA_LIMITS.bytesPerFile)} per file and{' '}
        {formatBytes(DATA_LIMITS.totalBytes)} per load (larger files are refused before they are
        read), {int(DATA_LIMITS.interactions)} interactions, {int(DATA_LIMITS.users)} users,{' '}
        {int(DATA_LIMITS.items)} items.
      </p>
      <section
        className={over ? 'data-drop over' : 'data-drop'}
        aria-label="Drop files here"
        data-testid="data.drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <label>
          Files (one data set; drop them here or choose):{' '}
          <input
            type="file"
            multiple
            accept=".csv,.data,.item,.dat,.tsv,.txt"
            data-testid="data.files"
            onChange={(e) => {
              load(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </label>{' '}
        <label>
          Format:{' '}
          <select
            value={format}
            data-testid="data.format"
            onChange={(e) => setFormat(e.currentTarget.value as DataFormat | 'auto')}
          >
            <option value="auto">from the file names</option>
            {DATA_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Held out for recall:{' '}
          <select
            value={heldOut}
            data-testid="data.heldOut"
            onChange={(e) => setHeldOut(e.currentTarget.value as HeldOut)}
          >
            {HELD_OUTS.map((h) => (
              <option key={h} value={h}>
                {HELD_OUT_TEXT[h]}
              </option>
            ))}
          </select>
        </label>
      </section>
      {pending && progress && (
        <p role="status" data-testid="data.progress">
          Reading… {Math.round(100 * progress.fraction)}%
        </p>
      )}
      {error && (
        <p role="alert" className="problem" data-testid="data.error">
          {error.message}
          {dataset ? ' — the data loaded before stays.' : ''}
        </p>
      )}
      {dataset ? (
        <>
          <DatasetFacts />
          <p>
            <button type="button" data-testid="data.train" onClick={() => setView('training')}>
              Train on it (Training tab)
            </button>{' '}
            <button type="button" data-testid="data.back" onClick={() => generate(settings)}>
              Back to the generated world
            </button>
          </p>
          <h3>What the views show on this data</h3>
          <ul data-testid="data.views">
            <li>
              Training: recall@k of candidate generation, most-popular and the factorisation
              baseline on the held-out next watches of this data.
            </li>
            <li>
              Embeddings: the projection of the items&apos; output vectors, coloured by genre.
            </li>
            <li>
              Funnel: retrieval from the items&apos; vectors; its ranking half is scored by a ranker
              that had no unclicked impressions to learn from, so that half means nothing here.
            </li>
            <li>
              Not on this data: the ranker and the Watch-time view, and the funnel&apos;s ranking
              half, need impressions that were shown and not clicked, which interaction files do not
              have; the oracle&apos;s recall needs the ground truth of a generated world. Searches,
              demographics, clickbait and series are absent, so their inputs are empty.
            </li>
          </ul>
        </>
      ) : (
        <p data-testid="data.none">No data loaded: the tabs show the generated world.</p>
      )}
    </main>
  );
}
