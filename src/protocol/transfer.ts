/**
 * The buffers a worker message can move instead of copying (metric arrays, snapshot weights,
 * projections, the views' answers). The sender loses them: the worker sends only arrays made
 * for the message. (The page copies a snapshot into a `restore` request, keeping its own for a
 * later crash.)
 */
import type {
  MetricsMessage,
  NeighboursMessage,
  ProjectionMessage,
  SnapshotMessage,
  VideoMetaMessage,
} from './training';
import type { SoftmaxMessage, VectorsMessage } from './views';

/** The distinct ArrayBuffers under the typed arrays of `message` that may be transferred. */
export function transferablesOf(message: { type: string }): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const add = (a: ArrayBufferView) => {
    if (a.buffer instanceof ArrayBuffer && !out.includes(a.buffer)) out.push(a.buffer);
  };
  switch (message.type) {
    case 'metrics': {
      const m = message as MetricsMessage;
      for (const a of [m.steps, m.loss, m.mfLoss, m.rankingLoss]) add(a);
      break;
    }
    case 'snapshot': {
      // Every array of a snapshot is a copy made for the message (session.ts `snapshot`): on
      // the CPU backend the tensors' own buffers would otherwise be detached, emptying the weights.
      const { weights, slots } = (message as SnapshotMessage).snapshot;
      for (const w of [...weights, ...slots]) add(w.data);
      break;
    }
    case 'projection':
      add((message as ProjectionMessage).coords);
      break;
    case 'videoMeta': {
      const m = message as VideoMetaMessage;
      for (const a of [m.topic, m.popularityRank, m.ageDays, m.clickbait]) add(a);
      break;
    }
    case 'neighbours': {
      const m = message as NeighboursMessage;
      add(m.ids);
      add(m.scores);
      break;
    }
    case 'softmax': {
      const m = message as SoftmaxMessage;
      for (const a of [
        m.items,
        m.full,
        m.estimate,
        m.learned,
        m.decile,
        m.qRank,
        m.q,
        m.labelShare,
      ])
        add(a);
      break;
    }
    case 'vectors': {
      const m = message as VectorsMessage;
      add(m.vectors);
      add(m.u);
      if (m.best) add(m.best);
      break;
    }
  }
  return out;
}
