import type { Page } from '@playwright/test';

/** A main-thread long task seen by PerformanceObserver (page clock, ms). */
export interface LongTask {
  start: number;
  duration: number;
}

/** Starts collecting main-thread long tasks (buffered) in the page. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Long tasks that started at or after `since` (page clock, ms). */
export async function longTasksSince(page: Page, since: number): Promise<LongTask[]> {
  return page.evaluate(
    (t) =>
      (window as unknown as { __longTasks: LongTask[] }).__longTasks.filter((e) => e.start >= t),
    since,
  );
}
