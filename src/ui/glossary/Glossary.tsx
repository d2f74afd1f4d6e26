/**
 * The glossary (docs/glossary.md): a header button on every tab opens a panel listing every
 * term the page shows; `?` help links (GlossaryLink) open it at one term.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { glossaryStore, useGlossary } from '../../state/glossary-store';
import { GLOSSARY, glossaryTerm } from './terms';

/** A link that opens the glossary at `term` (its term's name unless children are given). */
export function GlossaryLink({ term, children }: { term: string; children?: React.ReactNode }) {
  const t = glossaryTerm(term);
  if (!t) return null;
  return (
    <a
      href={`#glossary-${t.id}`}
      className="glossary-link"
      data-testid={`glossary.link.${t.id}`}
      onClick={(e) => {
        e.preventDefault();
        glossaryStore.getState().show(t.id);
      }}
    >
      {children ?? t.term}
    </a>
  );
}

/**
 * A `?` that opens the term's explanation inline (not only a hover tooltip), with a link to the
 * glossary.
 */
export function TermHelp({ term }: { term: string }) {
  const t = glossaryTerm(term);
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!t) return null;
  return (
    <>
      <button
        type="button"
        className="help-toggle inline"
        aria-expanded={open}
        aria-controls={id}
        aria-label={`What is ${t.term}?`}
        data-testid={`help.term.${t.id}`}
        onClick={() => setOpen(!open)}
      >
        ?
      </button>
      {open && (
        <span className="param-help term-help" id={id} data-testid={`help.term.${t.id}.text`}>
          {t.text} <GlossaryLink term={t.id}>Glossary</GlossaryLink>
        </span>
      )}
    </>
  );
}

/** The header's button. */
export function GlossaryButton() {
  const open = useGlossary((s) => s.open);
  return (
    <button
      type="button"
      className="glossary-button"
      aria-expanded={open}
      aria-controls="glossary"
      data-testid="glossary.open"
      onClick={() => (open ? glossaryStore.getState().close() : glossaryStore.getState().show())}
    >
      Glossary
    </button>
  );
}

/** The panel, when open. */
export function GlossaryPanel() {
  const open = useGlossary((s) => s.open);
  const term = useGlossary((s) => s.term);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!open) return;
    const el = term ? document.getElementById(`glossary-${term}`) : ref.current;
    el?.scrollIntoView?.({ block: 'nearest' });
    (term ? el : ref.current)?.focus?.();
  }, [open, term]);
  if (!open) return null;
  return (
    <aside
      id="glossary"
      className="glossary"
      aria-label="Glossary"
      data-testid="glossary"
      tabIndex={-1}
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === 'Escape') glossaryStore.getState().close();
      }}
    >
      <div className="glossary-head">
        <h2>Glossary</h2>
        <button
          type="button"
          data-testid="glossary.close"
          onClick={() => glossaryStore.getState().close()}
        >
          Close
        </button>
      </div>
      <dl>
        {GLOSSARY.map((t) => (
          <div
            key={t.id}
            id={`glossary-${t.id}`}
            tabIndex={-1}
            className={t.id === term ? 'glossary-term marked' : 'glossary-term'}
          >
            <dt>{t.term}</dt>
            <dd>{t.text}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
