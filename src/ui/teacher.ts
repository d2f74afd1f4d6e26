/**
 * Teacher mode on the page: the names a link hides (`hide=`) become one style sheet of
 * `display: none` rules, and presentation mode (`present=on`) a class on the root element that
 * styles.css enlarges the type for and hides introductions and captions under. The sheet is
 * built through the CSS object model (no inline style element), so a strict
 * Content-Security-Policy allows it.
 */
import { useEffect } from 'react';
import { useTeacher } from '../state/teacher-store';

/** What each panel name hides (selectors of the page's own markup). */
export const PANEL_SELECTORS: Record<string, string> = {
  header: '.app-header',
  tabs: '.tabs',
  intro: '.train-intro',
  backend: '[data-testid="backend"]',
  hyperparameters: '.train-controls',
  figures: '.train-figures',
  captions: 'figcaption',
  exports: '.chart-save, .train-exports, [data-testid$=".csv"], [data-testid$=".png"]',
};

/** The CSS selector that hides `name`: a panel, a tab (`tab.<view>`) or a knob's control. */
export function selectorOf(name: string): string {
  if (name in PANEL_SELECTORS) return PANEL_SELECTORS[name];
  if (name.startsWith('tab.')) return `[data-testid="${name}"]`;
  const control = `[data-testid="param.${name}"]`;
  return `:is(.param, .field):has(${control}), ${control}`;
}

/** The style sheet's text for the hidden names (empty when none). */
export function hideRules(names: readonly string[]): string {
  return names.map((n) => `${selectorOf(n)} { display: none !important; }`).join('\n');
}

/** Applies the teacher-mode settings of the store to the document while mounted. */
export function useTeacherMode(): void {
  const hide = useTeacher((s) => s.hide);
  const present = useTeacher((s) => s.present);
  useEffect(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(hideRules(hide));
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    return () => {
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }, [hide]);
  useEffect(() => {
    document.documentElement.classList.toggle('present', present);
  }, [present]);
}
