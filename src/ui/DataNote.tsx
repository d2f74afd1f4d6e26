/**
 * A line a view shows while the world is your own data (docs/own-data.md), saying what of the
 * view does not apply to it instead of drawing figures with nothing behind them.
 */
import { useAppStore } from '../state/store';

const TEXT = {
  training:
    'Training on your data: recall@k, most-popular and the factorisation baseline are scored on its held-out next watches. The ranker’s figures (AUC, weighted per-user loss) need impressions that were shown and not clicked, which interaction files do not have: every impression here is a click, so they mean nothing.',
  watchtime:
    'Not on your data: the watch-time view needs impressions that were shown and not clicked, and the oracle’s watch time needs a generated world’s ground truth; interaction files have neither. The figures below are of a ranker that saw only clicks.',
  funnel:
    'On your data only the retrieval half applies (recall@N of candidates from the items’ vectors, and its cost); the ranking half’s scores come from a ranker that saw only clicks (no unclicked impressions in interaction files), so its order means nothing, and the oracle’s minutes and ceiling need a generated world’s ground truth: here they mean nothing either.',
  world:
    'The world on screen is your data (Your data tab): the counts, the topic mix (genres) and popularity by rank are the data’s. Interaction files hold no unclicked impressions, searches, clickbait, series, languages or demographics, so CTR reads 1 and those figures are empty; the form’s settings are the generated world’s, which Generate builds again.',
} as const;

/** The note of `view` while your data is loaded; nothing otherwise. */
export function DataNote({ view }: { view: keyof typeof TEXT }) {
  const loaded = useAppStore((s) => s.dataset !== null);
  if (!loaded) return null;
  return (
    <p className="data-note" role="note" data-testid={`data.note.${view}`}>
      {TEXT[view]}
    </p>
  );
}
