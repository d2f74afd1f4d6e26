/**
 * Teacher mode: the controls and panels a link hides (`hide=negatives,tab.softmax,intro`, after
 * TensorFlow Playground's `_hide`) and presentation mode for a projector (`present=on`). Set from
 * the URL by its owner (state/url.ts via the world slice) and written back to it; the page applies
 * them as a style sheet (ui/teacher.ts).
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { PageSettings } from '../protocol/params';

/** The teacher-mode settings. */
export interface TeacherState {
  /** Names hidden (panels, `tab.<view>`, knob keys), in the URL's order. */
  hide: string[];
  present: boolean;
  /** Takes the URL's values (absent: nothing hidden, not presenting). */
  apply(page: Partial<Pick<PageSettings, 'hide' | 'present'>>): void;
}

/** The app's teacher-mode store. */
export const teacherStore = createStore<TeacherState>()((set) => ({
  hide: [],
  present: false,
  apply(page) {
    set({
      hide: page.hide ? Object.keys(page.hide).filter((k) => page.hide![k]) : [],
      present: page.present ?? false,
    });
  },
}));

/** The URL's teacher-mode keys for the current settings (only those set). */
export function teacherUrl(): Partial<Pick<PageSettings, 'hide' | 'present'>> {
  const { hide, present } = teacherStore.getState();
  return {
    ...(hide.length ? { hide: Object.fromEntries(hide.map((n) => [n, true])) } : {}),
    ...(present ? { present } : {}),
  };
}

/** React hook on the teacher-mode store. */
export function useTeacher<T>(select: (s: TeacherState) => T): T {
  return useStore(teacherStore, select);
}
