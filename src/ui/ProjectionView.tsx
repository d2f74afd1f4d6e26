/**
 * The Embedding view: the candidate model's output video vectors v_i projected to 2-D by PCA
 * in the worker every few dozen steps, drawn as one canvas scatter (ScatterCanvas), coloured by
 * topic, popularity, upload age or clickbait. Hover names a video; a click asks the worker for
 * its nearest neighbours by dot product in the full space.
 */
import { useEffect, useRef, useState } from 'react';
import { appStore, useAppStore, type AppState } from '../state/store';
import type { Layout } from '../state/umap-slice';
import { COLOR_BYS, type ColorBy } from '../state/views-slice';
import { NEIGHBOURS, PROJECTION_EVERY } from '../state/protocol';
import { cancelDraw, scheduleDraw } from './charts/draw-queue';
import {
  colourGroups,
  describeVideo,
  projectionCsv,
  type ColourGroups,
} from './charts/projection-data';
import { projectorMetadataTsv, projectorVectorsTsv } from './charts/projector-data';
import { ScatterCanvas } from './charts/scatter';
import { saveExport } from './save-file';
import { fixed, pct } from './format';
import { AnalysisProblem, FocusUserField } from './AnalysisParts';
import { TrainingToolbar } from './TrainingToolbar';

const COLOR_LABELS: Record<ColorBy, string> = {
  topic: 'topic',
  popularity: 'popularity',
  age: 'upload age',
  clickbait: 'clickbait',
};

/** Does a state change concern the scatter? */
const changed = (s: AppState, p: AppState) =>
  s.projectionVersion !== p.projectionVersion ||
  s.layout !== p.layout ||
  s.umap.coords !== p.umap.coords ||
  s.videoMeta !== p.videoMeta ||
  s.colorBy !== p.colorBy ||
  s.selectedVideo !== p.selectedVideo ||
  s.neighbours !== p.neighbours;

/** The canvas with its hover tooltip; click selects a video. */
function Scatter({ chartRef }: { chartRef: React.RefObject<ScatterCanvas | null> }) {
  const box = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);
  const meta = useAppStore((s) => s.videoMeta);
  const askNeighbours = useAppStore((s) => s.askNeighbours);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = new ScatterCanvas(
      el,
      'Video output embeddings projected on their first two principal components',
    );
    chartRef.current = chart;
    let cached: { meta: unknown; colorBy: ColorBy; groups: ColourGroups } | null = null;
    const draw = () => {
      const s = appStore.getState();
      const p = s.projection;
      const m = s.videoMeta;
      if (!p || !m || m.topic.length * 2 !== p.coords.length) return false;
      if (!cached || cached.meta !== m || cached.colorBy !== s.colorBy)
        cached = { meta: m, colorBy: s.colorBy, groups: colourGroups(m, s.colorBy) };
      const g = cached.groups;
      const umap = s.layout === 'umap' && s.umap.coords ? s.umap : null;
      const userAt = umap ? umap.userCoords : (p.user?.coords ?? null);
      const userId = umap ? umap.user : (p.user?.id ?? s.focusUser);
      chart.update({
        coords: umap?.coords ?? p.coords,
        group: g.group,
        palette: g.palette,
        legend: g.legend,
        xTitle: umap
          ? `UMAP 1 (unitless; layout of step ${umap.step})`
          : `PC 1 (unitless; ${pct(p.explained[0])} of the variance)`,
        yTitle: umap
          ? 'UMAP 2 (unitless)'
          : `PC 2 (unitless; ${pct(p.explained[1])} of the variance)`,
        highlight: s.neighbours?.ids ?? [],
        selected: s.selectedVideo ?? -1,
        user: userAt ? { coords: userAt, label: `user ${userId}'s u` } : null,
      });
    };
    // The first draw too waits for the draw queue: the view paints before its scatter.
    scheduleDraw(draw);
    const unsubscribe = appStore.subscribe((s, prev) => {
      if (changed(s, prev)) scheduleDraw(draw);
    });
    return () => {
      unsubscribe();
      cancelDraw(draw);
      chart.destroy();
      chartRef.current = null;
    };
  }, [chartRef]);

  const frame = useRef(0);
  const onMove = (e: React.MouseEvent) => {
    const { clientX, clientY } = e;
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const chart = chartRef.current;
      const i = chart ? chart.pick(clientX, clientY) : -1;
      const at = i >= 0 ? chart?.position(i) : null;
      setHover((h) => (i < 0 || !at ? null : h?.i === i ? h : { i, x: at.x, y: at.y }));
    });
  };
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  const onClick = (e: React.MouseEvent) => {
    const i = chartRef.current?.pick(e.clientX, e.clientY) ?? -1;
    if (i >= 0) askNeighbours(i);
  };

  const v = hover && meta ? describeVideo(meta, hover.i) : null;
  return (
    <div className="scatter-box" onMouseMove={onMove} onMouseLeave={() => setHover(null)}>
      <div ref={box} onClick={onClick} data-testid="projection.canvas" />
      {v && hover && (
        <div
          className="scatter-tip"
          data-testid="projection.hover"
          style={{ left: hover.x + 10, top: hover.y + 10 }}
        >
          <strong>video {v.id}</strong> · {v.topic}
          {v.clickbait && <span className="tag-clickbait"> clickbait</span>}
          {v.title && <div className="tip-title">“{v.title}”</div>}
          <div>
            popularity rank {v.popularityRank} of {meta!.topic.length} · {fixed(v.ageDays, 0)} days
            old
          </div>
        </div>
      )}
    </div>
  );
}

/** The clicked video's nearest neighbours by dot product in the full space. */
function Neighbours() {
  const meta = useAppStore((s) => s.videoMeta);
  const selected = useAppStore((s) => s.selectedVideo);
  const nb = useAppStore((s) => s.neighbours);
  const sel = meta && selected !== null ? describeVideo(meta, selected) : null;
  return (
    <section className="neighbours" aria-label="Nearest neighbours">
      <h3>Nearest neighbours</h3>
      {sel ? (
        <p>
          Of <strong>video {sel.id}</strong> ({sel.topic}
          {sel.title ? `, “${sel.title}”` : ''}): the {NEIGHBOURS} videos with the largest v·v′ over
          all {meta!.topic.length} videos, in the full space.
        </p>
      ) : (
        <p className="muted">Click a point to list its {NEIGHBOURS} nearest videos.</p>
      )}
      <ol data-testid="projection.neighbours">
        {meta &&
          nb &&
          Array.from(nb.ids, (id, r) => {
            const v = describeVideo(meta, id);
            return (
              <li key={id}>
                <span className="nb-score">{fixed(nb.scores[r], 3)}</span> video {id} · {v.topic}
                {v.clickbait ? ' · clickbait' : ''}
                {v.title ? <span className="muted"> “{v.title}”</span> : null}
              </li>
            );
          })}
      </ol>
    </section>
  );
}

/** How much of the corpus UMAP laid out itself. */
function umapCoverage(sampled: number, rows: number): string {
  return sampled >= rows
    ? `all ${rows} videos laid out`
    : `${sampled} of ${rows} videos laid out, each other one placed by its nearest of those`;
}

/** What UMAP is doing, or what the finished layout is (a line of its own under the toolbar). */
function UmapStatus() {
  const umap = useAppStore((s) => s.umap);
  const busy = umap.status === 'copying' || umap.status === 'running';
  if (!busy && umap.status !== 'done') return null;
  return (
    <p className="muted umap-status" data-testid="projection.umapProgress">
      {busy
        ? `UMAP: ${umap.stage} ${Math.round(100 * umap.fraction)}%`
        : `UMAP of step ${umap.step}: ${fixed(umap.ms / 1000, 1)} s, ${umapCoverage(umap.sampled, (umap.coords?.length ?? 0) / 2)}. It is a snapshot: recompute it to see later steps.`}
    </p>
  );
}

/** UMAP on demand: compute / cancel, progress, and the PCA ↔ UMAP switch. */
function UmapControls() {
  const umap = useAppStore((s) => s.umap);
  const layout = useAppStore((s) => s.layout);
  const setLayout = useAppStore((s) => s.setLayout);
  const start = useAppStore((s) => s.startUmap);
  const cancel = useAppStore((s) => s.cancelUmap);
  const built = useAppStore((s) => s.run.built !== null);
  const busy = umap.status === 'copying' || umap.status === 'running';
  // A link that asks for the UMAP layout computes one as soon as the run has embeddings.
  useEffect(() => {
    if (layout === 'umap' && built && umap.status === 'idle' && !umap.coords) start();
  }, [layout, built, umap.status, umap.coords, start]);
  return (
    <>
      <label className="field">
        layout
        <select
          data-testid="param.layout"
          value={layout}
          onChange={(e) => setLayout(e.target.value as Layout)}
        >
          <option value="pca">PCA (live)</option>
          <option value="umap" disabled={!umap.coords}>
            {umap.coords ? `UMAP (of step ${umap.step})` : 'UMAP (compute it first)'}
          </option>
        </select>
      </label>
      <button
        type="button"
        onClick={busy ? cancel : start}
        disabled={!built}
        data-testid="projection.umap"
        title="Lay out the current embeddings with UMAP in a background worker (a snapshot: it does not follow training)"
      >
        {busy ? 'Cancel UMAP' : umap.coords ? 'Recompute UMAP' : 'Compute UMAP'}
      </button>
    </>
  );
}

/** The Embedding projection view. */
export function ProjectionView() {
  const worldReady = useAppStore((s) => s.summary !== null);
  const prepare = useAppStore((s) => s.prepare);
  const colorBy = useAppStore((s) => s.colorBy);
  const setColorBy = useAppStore((s) => s.setColorBy);
  const step = useAppStore((s) => s.projection?.step ?? null);
  const ms = useAppStore((s) => s.projection?.ms ?? null);
  const hasData = useAppStore((s) => s.projection !== null && s.videoMeta !== null);
  const userId = useAppStore((s) => s.projection?.user?.id ?? null);
  const chart = useRef<ScatterCanvas | null>(null);
  useEffect(() => {
    if (worldReady) prepare();
  }, [worldReady, prepare]);

  const savePng = () =>
    chart.current?.canvas.toBlob(
      (b) => b && saveExport(`${appStore.getState().layout} projection`, 'png', b),
      'image/png',
    );
  const exportProjector = useAppStore((s) => s.exportProjector);
  const projectorVectors = useAppStore((s) => s.projectorVectors);
  useEffect(() => {
    const meta = appStore.getState().videoMeta;
    if (!projectorVectors || !meta) return;
    const { vectors, rows, dim } = projectorVectors;
    saveExport('projector vectors', 'tsv', projectorVectorsTsv(vectors, rows, dim));
    saveExport('projector metadata', 'tsv', projectorMetadataTsv(meta, rows));
    appStore.getState().projectorSaved();
  }, [projectorVectors]);
  const saveCsv = () => {
    const { projection, videoMeta, layout, umap } = appStore.getState();
    if (!projection || !videoMeta) return;
    const text =
      layout === 'umap' && umap.coords
        ? projectionCsv({ coords: umap.coords }, videoMeta, ['umap1', 'umap2'])
        : projectionCsv(projection, videoMeta);
    saveExport(`${layout} projection`, 'csv', text);
  };

  return (
    <main className="training projection" data-testid="view.projection">
      <TrainingToolbar />
      <p className="train-intro">
        Each dot is one video's output vector v from the candidate model, flattened from its d
        dimensions onto the two directions along which the vectors vary most (PCA, recomputed every{' '}
        {PROJECTION_EVERY} steps while training): videos the model has learnt to recommend to the
        same users drift together; the black diamond is one user's u, which scores the videos
        nearest to it in direction highest. PCA keeps the two directions of largest variance, and
        those need not split the topics: after a few hundred steps, coloured by topic, expect mostly
        one blob. Switch the colouring to see whether popularity, freshness or clickbait shape them,
        or compute a UMAP layout, which keeps neighbourhoods rather than variance: there the topics
        gather in regions of their own. Click a video to list its nearest neighbours in the full
        space.
      </p>
      <div className="toolbar projection-controls">
        <FocusUserField shown={userId} />
        <UmapControls />
        <label className="field">
          colour by
          <select
            data-testid="param.colorBy"
            value={colorBy}
            onChange={(e) => setColorBy(e.target.value as ColorBy)}
          >
            {COLOR_BYS.map((c) => (
              <option key={c} value={c}>
                {COLOR_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
        <div className="run-state">
          PCA of step{' '}
          <span data-testid="projection.step" className="inline-number">
            {step ?? 'n/a'}
          </span>
          {ms !== null && <span className="muted"> ({fixed(ms, 0)} ms in the worker)</span>}
        </div>
        <UmapStatus />
        <button type="button" onClick={savePng} disabled={!hasData} data-testid="projection.png">
          Save PNG
        </button>
        <button type="button" onClick={saveCsv} disabled={!hasData} data-testid="projection.csv">
          Save CSV
        </button>
        <button
          type="button"
          onClick={exportProjector}
          disabled={!hasData}
          data-testid="export.projector"
          title="vectors.tsv and metadata.tsv for projector.tensorflow.org (Load)"
        >
          Save for Embedding Projector
        </button>
      </div>
      <AnalysisProblem name="focus" />
      <AnalysisProblem name="umap" />
      {!worldReady ? (
        <p className="placeholder">Building the world in a background worker…</p>
      ) : (
        <div className="projection-body">
          <figure className="chart projection-figure">
            <Scatter chartRef={chart} />
            <figcaption>
              Video output embeddings on their first two principal components (PC 1, PC 2: unitless
              coordinates along the directions of largest variance), or on a UMAP layout (a
              snapshot; distances there are not comparable across the plot); the diamond is the
              chosen user's u (in UMAP: the middle of their 10 best-scoring videos by u·v + b at the
              time of the layout). Hover a point to name the video, click it for its nearest
              neighbours (ringed).
            </figcaption>
          </figure>
          <Neighbours />
        </div>
      )}
    </main>
  );
}
