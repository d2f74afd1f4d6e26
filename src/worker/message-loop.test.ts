import { describe, expect, it } from 'vitest';
import { runMessageLoop, type LoopScope } from './message-loop';

type Msg = { type: string; id?: number };

/** A fake worker scope: listeners by event type, and events dispatched by hand. */
function fakeScope() {
  const listeners = new Map<string, ((event: Event) => void)[]>();
  const scope: LoopScope = {
    addEventListener(type, listener) {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
  };
  const fire = (type: string, fields: Record<string, unknown>) => {
    let prevented = false;
    const event = { ...fields, preventDefault: () => (prevented = true) } as unknown as Event;
    for (const l of listeners.get(type) ?? []) l(event);
    return prevented;
  };
  return {
    scope,
    send: (data: unknown) => fire('message', { data }),
    fire,
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('runMessageLoop', () => {
  it('reports a throw under the message type and goes on with the next message', () => {
    const port = fakeScope();
    const faults: [string, string, Msg | null][] = [];
    const handled: string[] = [];
    runMessageLoop<Msg>(
      port.scope,
      (m) => {
        if (m.type === 'play') throw new Error('no session');
        handled.push(m.type);
      },
      (cause, text, request) => faults.push([cause, text, request]),
    );
    port.send({ type: 'play', id: 3 });
    port.send({ type: 'pause' });
    expect(faults).toEqual([['play', 'no session', { type: 'play', id: 3 }]]);
    expect(handled).toEqual(['pause']);
  });

  it('reports a rejected promise of the handler under its message type', async () => {
    const port = fakeScope();
    const faults: string[] = [];
    runMessageLoop<Msg>(
      port.scope,
      async (m) => {
        await flush();
        if (m.type === 'restore') throw new TypeError('bad snapshot');
      },
      (cause, text) => faults.push(`${cause}: ${text}`),
    );
    port.send({ type: 'restore' });
    port.send({ type: 'step' });
    await flush();
    await flush();
    expect(faults).toEqual(['restore: bad snapshot']);
  });

  it('reports error and unhandledrejection events (cancelled) under the last message', () => {
    const port = fakeScope();
    const faults: string[] = [];
    runMessageLoop<Msg>(
      port.scope,
      () => {},
      (cause, text) => faults.push(`${cause}: ${text}`),
    );
    expect(port.fire('error', { message: 'boom before any message' })).toBe(true);
    port.send({ type: 'generateWorld' });
    expect(port.fire('unhandledrejection', { reason: new RangeError('out of memory') })).toBe(true);
    expect(port.fire('error', { error: new Error('lost'), message: 'Uncaught Error: lost' })).toBe(
      true,
    );
    port.fire('unhandledrejection', { reason: 'a plain string' });
    port.fire('messageerror', {});
    expect(faults).toEqual([
      'unknown: boom before any message',
      'generateWorld: out of memory',
      'generateWorld: lost',
      'generateWorld: a plain string',
      'unknown: a message from the page could not be read',
    ]);
  });

  it('survives a report that itself throws', () => {
    const port = fakeScope();
    let calls = 0;
    runMessageLoop<Msg>(
      port.scope,
      () => {
        throw new Error('x');
      },
      () => {
        calls++;
        throw new Error('cannot post');
      },
    );
    expect(() => port.send({ type: 'a' })).not.toThrow();
    expect(calls).toBe(1);
  });
});
