/**
 * Run files and autosave in the Training toolbar (docs/run-files.md): Save run downloads a
 * `.recsys-run` file of the run as it is now (seed and step in its name); Load run takes one
 * from a file picker or dropped on the bar; a refused file is named (`run.error`) and the run
 * on screen goes on; after a reload the last autosaved run is offered (`run.restore`); a few
 * runs can be kept in the browser (`run.keep`, loaded again from `run.kept`); a failed
 * autosave (a full quota) is shown. A run of the user's data is refused until that data is on
 * screen (`needs-data`), with a picker for those files (`run.pickData`).
 */
import { useState, type CSSProperties, type DragEvent } from 'react';
import { useAppStore } from '../state/store';

// Inline styles: the bar is one row under the training buttons (styles.css is shared).
const BAR: CSSProperties = {
  display: 'flex',
  flexWrap: 'wrap',
  alignItems: 'center',
  gap: '0.5em',
  flexBasis: '100%',
};
const FILE_BUTTON: CSSProperties = {
  border: '1px solid #bbb',
  borderRadius: 4,
  padding: '0.2em 0.6em',
  cursor: 'pointer',
};
const ERROR: CSSProperties = { color: '#b00020' };

/** Offers `bytes` to the browser as a download named `name`. */
function download(name: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(
    new Blob([bytes as BlobPart], { type: 'application/octet-stream' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Reads a picked or dropped file and hands it to the store. */
async function loadFile(file: File, load: (bytes: Uint8Array, name: string) => Promise<boolean>) {
  await load(new Uint8Array(await file.arrayBuffer()), file.name);
}

/** The run-file controls and messages. */
export function RunFiles() {
  const run = useAppStore((s) => s.run);
  const loading = useAppStore((s) => s.runLoading);
  const error = useAppStore((s) => s.runFileError);
  const offer = useAppStore((s) => s.autosaveOffer);
  const autosaveError = useAppStore((s) => s.autosaveError);
  const saveRunFile = useAppStore((s) => s.saveRunFile);
  const loadRunFile = useAppStore((s) => s.loadRunFile);
  const restoreAutosave = useAppStore((s) => s.restoreAutosave);
  const dismissAutosave = useAppStore((s) => s.dismissAutosave);
  const pinned = useAppStore((s) => s.pinnedRuns);
  const pinRun = useAppStore((s) => s.pinRun);
  const loadPinned = useAppStore((s) => s.loadPinned);
  const unpinRun = useAppStore((s) => s.unpinRun);
  const loadRunData = useAppStore((s) => s.loadRunData);
  const [saving, setSaving] = useState(false);
  const [over, setOver] = useState(false);
  const canSave = run.built !== null && (run.state === 'paused' || run.state === 'running');

  const save = async () => {
    setSaving(true);
    try {
      const { name, bytes } = await saveRunFile();
      download(name, bytes);
    } finally {
      setSaving(false);
    }
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void loadFile(file, loadRunFile);
  };

  return (
    <div
      className={`run-files${over ? ' drop-over' : ''}`}
      style={{ ...BAR, ...(over ? { outline: '2px dashed currentColor' } : {}) }}
      data-testid="run.files"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <button
        type="button"
        data-testid="run.save"
        disabled={!canSave || saving}
        onClick={() => void save()}
        title="Download this run (world, knobs, weights, optimiser state, history) as a .recsys-run file"
      >
        ⤓ Save run
      </button>
      <label
        className="file-button"
        style={FILE_BUTTON}
        title="Load a .recsys-run file (or drop one here)"
      >
        ⤒ Load run
        <input
          type="file"
          accept=".recsys-run"
          style={{ display: 'none' }}
          data-testid="run.load"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void loadFile(file, loadRunFile);
          }}
        />
      </label>
      <button
        type="button"
        data-testid="run.keep"
        disabled={!canSave || saving}
        onClick={() => void pinRun()}
        title="Keep this run (weights and all) in the browser's storage, to load again later; up to 5"
      >
        Keep in browser
      </button>
      {pinned.map((r) => (
        <span key={r.key} className="run-pinned">
          <button
            type="button"
            data-testid="run.kept"
            onClick={() => void loadPinned(r.key)}
            title={`Load the kept run of seed ${r.seed}, step ${r.step}`}
          >
            seed {r.seed} · step {r.step}
          </button>
          <button
            type="button"
            className="link"
            aria-label={`forget the kept run of seed ${r.seed}, step ${r.step}`}
            onClick={() => void unpinRun(r.key)}
          >
            ✕
          </button>
        </span>
      ))}
      {loading && (
        <span className="muted" data-testid="run.loading">
          loading {loading}…
        </span>
      )}
      {error && (
        <span
          className="run-error"
          style={ERROR}
          role="alert"
          data-testid="run.error"
          data-code={error.code}
        >
          {error.code}: {error.message}
        </span>
      )}
      {error?.code === 'needs-data' && (
        <label
          className="file-button"
          style={FILE_BUTTON}
          title="Pick the data files the run was trained on: they load on the Data tab, then the run loads on them"
        >
          Pick those files…
          <input
            type="file"
            multiple
            style={{ display: 'none' }}
            data-testid="run.pickData"
            onChange={(e) => {
              const list = e.currentTarget.files ?? [];
              const files = Array.from(list, (f) => ({ name: f.name, size: f.size, content: f }));
              e.currentTarget.value = '';
              if (files.length) loadRunData(files);
            }}
          />
        </label>
      )}
      {offer && (
        <span className="run-offer" data-testid="run.offer">
          <button type="button" data-testid="run.restore" onClick={() => void restoreAutosave()}>
            ↻ Continue where you left off
          </button>{' '}
          <span className="muted">
            seed {offer.seed}, step {offer.step}, saved {new Date(offer.savedAt).toLocaleString()}
          </span>{' '}
          <button type="button" className="link" onClick={dismissAutosave} aria-label="dismiss">
            ✕
          </button>
        </span>
      )}
      {autosaveError && (
        <span className="run-error" style={ERROR} role="alert" data-testid="run.autosaveError">
          {autosaveError}
        </span>
      )}
    </div>
  );
}
