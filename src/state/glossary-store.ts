/**
 * Whether the glossary panel is open and which term it shows (src/ui/glossary): opened from the
 * header on every tab, or from a `?` help's link straight at a term.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

/** The glossary panel's state. */
export interface GlossaryState {
  open: boolean;
  /** Term id to scroll to and mark, or null. */
  term: string | null;
  show(term?: string | null): void;
  close(): void;
}

export const glossaryStore = createStore<GlossaryState>()((set) => ({
  open: false,
  term: null,
  show: (term = null) => set({ open: true, term }),
  close: () => set({ open: false, term: null }),
}));

/** React hook on the glossary store. */
export const useGlossary = <T>(pick: (s: GlossaryState) => T): T => useStore(glossaryStore, pick);
