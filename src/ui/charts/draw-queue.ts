/**
 * Spreads chart drawing over animation frames: charts ask for a draw here instead of drawing
 * where their data changed (a store subscription, a React effect, a click), and the queue draws
 * at most one chart per frame, in the order asked. A draw that finds nothing changed returns
 * `false` and the queue goes on to the next chart in the same frame.
 *
 * When the queue was idle, the first frame only lets the page paint what the task that asked
 * committed (a new tab's DOM, say); drawing starts on the frame after. A tab with five charts
 * therefore costs six short frames instead of one long task.
 */

/** A chart's draw: returns false when there was nothing to redraw (it then costs no frame). */
export type Draw = () => boolean | void;

const queue = new Set<Draw>();
let frame = 0;

/** Draws queued charts until one really drew, then waits for the next frame. */
function run(): void {
  frame = 0;
  try {
    for (const draw of queue) {
      queue.delete(draw);
      if (draw() !== false) break;
    }
  } finally {
    if (queue.size > 0 && frame === 0) frame = requestAnimationFrame(run);
  }
}

/** Queues `draw` (once, however often it is asked for before it runs). */
export function scheduleDraw(draw: Draw): void {
  queue.add(draw);
  if (frame === 0)
    frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(run);
    });
}

/** Takes `draw` off the queue (a chart being removed). */
export function cancelDraw(draw: Draw): void {
  queue.delete(draw);
}
