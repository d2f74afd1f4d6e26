/**
 * Spreads chart redraws over animation frames: live charts ask for a redraw here instead of
 * each taking its own `requestAnimationFrame`, and each frame draws queued charts only until
 * a small time budget is spent, the rest on the next frames. Four charts updated by one metric
 * message therefore cost a few milliseconds per frame instead of one long task.
 */

/** Milliseconds of drawing per frame before the rest waits for the next frame. */
export const FRAME_BUDGET_MS = 8;

const queue = new Set<() => void>();
let frame = 0;

function run(): void {
  frame = 0;
  const t0 = performance.now();
  for (const draw of queue) {
    queue.delete(draw);
    draw();
    if (performance.now() - t0 > FRAME_BUDGET_MS) break;
  }
  if (queue.size > 0) frame = requestAnimationFrame(run);
}

/** Queues `draw` (once, however often it is asked for before it runs). */
export function scheduleDraw(draw: () => void): void {
  queue.add(draw);
  if (frame === 0) frame = requestAnimationFrame(run);
}

/** Takes `draw` off the queue (a chart being removed). */
export function cancelDraw(draw: () => void): void {
  queue.delete(draw);
}
