/**
 * The Embedding view's data, from the worker's video metadata and projection: pure functions
 * (colour groups for each colour-by choice, the hover text, the CSV), tested without a DOM.
 */
import { schemeTableau10 } from 'd3';
import type { ColorBy } from '../../state/views-slice';
import type { ProjectionMessage, VideoMetaMessage } from '../../state/protocol';
import { csvLine } from './csv';
import { COLOURS } from './frame';

/** Colour group of every video, the groups' colours and the legend. */
export interface ColourGroups {
  group: Uint8Array;
  palette: string[];
  legend: { label: string; colour: string }[];
}

/** Popularity bands by rank share: top 1 %, 1–10 %, 10–50 %, the rest. */
const POPULARITY_BANDS = [0.01, 0.1, 0.5, 1];
/** Upload age bands in days at the end of the window. */
const AGE_BANDS = [7, 30, 90, 365, Infinity];

const POPULARITY_LABELS = ['top 1%', 'top 1–10%', 'top 10–50%', 'bottom 50%'];
const AGE_LABELS = ['< 7 days', '7–30 days', '30–90 days', '90–365 days', '> 1 year'];
/** Colours of ordered bands, the most notable first (hot) to the least (pale grey). */
const BAND_COLOURS = ['#d62728', '#fd8d3c', '#4292c6', '#9ecae1', '#d9d9d9'];

/**
 * Groups by band (0 = most notable: most popular, freshest); bands are grouped in reverse so
 * the rare notable videos are drawn last, on top of the crowd.
 */
function banded(
  n: number,
  group: Uint8Array,
  labels: string[],
  band: (i: number) => number,
): ColourGroups {
  const B = labels.length;
  const colours = labels.map((_, b) => (b === B - 1 ? BAND_COLOURS[4] : BAND_COLOURS[b]));
  for (let i = 0; i < n; i++) group[i] = B - 1 - band(i);
  return {
    group,
    palette: colours.slice().reverse(),
    legend: labels.map((label, b) => ({ label, colour: colours[b] })),
  };
}

/** The colour of topic `t` of `topics`. */
export function topicColour(t: number, topics: number): string {
  if (topics <= 10) return schemeTableau10[t];
  // More topics than a categorical scheme holds: evenly spaced hues.
  return `hsl(${Math.round((360 * t) / topics)}, 65%, 48%)`;
}

/** Topics given their own colour when there are more than ten. */
export const COLOURED_TOPICS = 9;

/**
 * More topics than colours can tell apart: the {@link COLOURED_TOPICS} largest topics (by
 * videos; ties by id) get the categorical colours, every other topic one pale grey drawn
 * underneath (group 0), so that each colour on screen is in the legend.
 */
function largestTopics(meta: VideoMetaMessage, group: Uint8Array): ColourGroups {
  const T = meta.topicNames.length;
  const size = new Int32Array(T);
  for (const t of meta.topic) size[t]++;
  const top = Array.from(size.keys())
    .sort((a, b) => size[b] - size[a] || a - b)
    .slice(0, COLOURED_TOPICS);
  const slot = new Uint8Array(T); // 0 = other
  top.forEach((t, i) => (slot[t] = i + 1));
  for (let i = 0; i < meta.topic.length; i++) group[i] = slot[meta.topic[i]];
  const palette = [BAND_COLOURS[4], ...top.map((_, i) => schemeTableau10[i])];
  return {
    group,
    palette,
    legend: [
      ...top.map((t, i) => ({ label: meta.topicNames[t], colour: palette[i + 1] })),
      { label: `${T - top.length} other topics`, colour: palette[0] },
    ],
  };
}

/** Groups the videos of `meta` by `colorBy`. */
export function colourGroups(meta: VideoMetaMessage, colorBy: ColorBy): ColourGroups {
  const n = meta.topic.length;
  const group = new Uint8Array(n);
  switch (colorBy) {
    case 'topic': {
      const T = meta.topicNames.length;
      if (T <= 10) {
        const palette = meta.topicNames.map((_, t) => topicColour(t, T));
        group.set(meta.topic);
        return {
          group,
          palette,
          legend: meta.topicNames.map((label, t) => ({ label, colour: palette[t] })),
        };
      }
      return largestTopics(meta, group);
    }
    case 'popularity':
      return banded(n, group, POPULARITY_LABELS, (i) => {
        const share = (meta.popularityRank[i] + 1) / n;
        let b = 0;
        while (share > POPULARITY_BANDS[b]) b++;
        return b;
      });
    case 'age':
      return banded(n, group, AGE_LABELS, (i) => {
        let b = 0;
        while (meta.ageDays[i] > AGE_BANDS[b]) b++;
        return b;
      });
    case 'clickbait': {
      group.set(meta.clickbait);
      const palette = [COLOURS.impressions, COLOURS.clickbait];
      return {
        group,
        palette,
        legend: [
          { label: 'other videos', colour: palette[0] },
          { label: 'clickbait', colour: palette[1] },
        ],
      };
    }
  }
}

/** What the tooltip and the neighbour list say about video `i`. */
export function describeVideo(meta: VideoMetaMessage, i: number) {
  return {
    id: i,
    topic: meta.topicNames[meta.topic[i]] ?? String(meta.topic[i]),
    title: meta.titles[i] ?? '',
    popularityRank: meta.popularityRank[i] + 1,
    ageDays: meta.ageDays[i],
    clickbait: meta.clickbait[i] === 1,
  };
}

/**
 * The projection and the metadata as CSV, one row per video; `axes` names the two coordinate
 * columns (default PCA's `pc1,pc2`; `umap1,umap2` for a UMAP layout).
 */
export function projectionCsv(
  p: Pick<ProjectionMessage, 'coords'>,
  meta: VideoMetaMessage,
  axes: [string, string] = ['pc1', 'pc2'],
): string {
  const lines = [`video,${axes[0]},${axes[1]},topic,popularity_rank,age_days,clickbait,title`];
  const n = Math.min(p.coords.length / 2, meta.topic.length);
  for (let i = 0; i < n; i++) {
    const v = describeVideo(meta, i);
    lines.push(
      csvLine([
        i,
        Number(p.coords[2 * i].toPrecision(6)),
        Number(p.coords[2 * i + 1].toPrecision(6)),
        v.topic,
        v.popularityRank,
        Number(v.ageDays.toFixed(2)),
        v.clickbait,
        v.title,
      ]),
    );
  }
  return lines.join('\n') + '\n';
}

/** Saves `blob` as a file named `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
