/**
 * A number that follows the store without React: the element is rendered once, empty, and its
 * text is written by a store subscription whenever the run's history or state changes. The text
 * is just the number (`0.231`, `n/a` before there is one), so tests and screen readers read it
 * as is.
 */
import { useEffect, useRef } from 'react';
import { appStore, type AppState } from '../state/store';

/** Props of {@link LiveNumber}. */
export interface LiveNumberProps {
  testId: string;
  /** Reads the text from the state; a stable function (module level). */
  read: (state: AppState) => string;
  className?: string;
}

/** A live figure. */
export function LiveNumber({ testId, read, className }: LiveNumberProps) {
  const el = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const write = (s: AppState) => {
      const text = read(s);
      if (el.current && el.current.textContent !== text) el.current.textContent = text;
    };
    write(appStore.getState());
    return appStore.subscribe((s, prev) => {
      if (s.historyVersion !== prev.historyVersion || s.run !== prev.run) write(s);
    });
  }, [read]);
  return <span className={className ?? 'stat-value'} data-testid={testId} ref={el} />;
}
