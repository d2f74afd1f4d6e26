/**
 * What reading the URL gave rise to, in one dismissable bar under the tabs: a quiet note
 * naming the keys no setting has (ignored), and, while any bad URL value is still shown by its
 * view, a button that hides those messages together.
 */
import { useAppStore } from '../state/store';

/** The URL's note and the dismiss button. */
export function UrlMessages() {
  const note = useAppStore((s) => s.urlNote);
  const fromUrl = useAppStore(
    (s) => s.problems.some((p) => p.fromUrl) || s.trainingProblems.some((p) => p.fromUrl),
  );
  const dismiss = useAppStore((s) => s.dismissUrlMessages);
  if (!note && !fromUrl) return null;
  return (
    <div className="url-messages" data-testid="url.messages" role="status">
      {note && <p data-testid="url.note">{note}</p>}
      {!note && <p>Some settings of the URL were refused: see the messages below.</p>}
      <button type="button" data-testid="url.dismiss" onClick={dismiss}>
        Dismiss URL messages
      </button>
    </div>
  );
}
