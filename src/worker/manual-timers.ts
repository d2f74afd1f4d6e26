/**
 * Fake timers for the worker's hosts in Node tests and benches (`TrainingHostEnv.schedule`):
 * nothing runs until the caller advances their clock, so a test decides when the worker has
 * been quiet long enough, and no real time passes.
 */
export class ManualTimers {
  /** The fake clock, ms. */
  private clock = 0;
  private seq = 0;
  private waiting: { at: number; seq: number; run: () => void }[] = [];

  /** `TrainingHostEnv.schedule`: runs `run` once the clock has advanced by `ms`. */
  readonly schedule = (run: () => void, ms: number): (() => void) => {
    const timer = { at: this.clock + Math.max(0, ms), seq: this.seq++, run };
    this.waiting.push(timer);
    return () => {
      this.waiting = this.waiting.filter((t) => t !== timer);
    };
  };

  /** Timers set and not yet run or cancelled. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Advances the clock by `ms`, running what falls due in order (by time, then as set). */
  advance(ms: number): void {
    const end = this.clock + ms;
    for (;;) {
      const due = this.waiting
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.waiting = this.waiting.filter((t) => t !== due);
      this.clock = due.at;
      due.run();
    }
    this.clock = end;
  }
}
