import { describe, expect, it } from 'vitest';
import { yieldToEvents } from './event-loop.ts';

describe('yieldToEvents', () => {
  it('lets a message that was already queued run before it resolves', async () => {
    const order: string[] = [];
    const ch = new MessageChannel();
    ch.port1.onmessage = () => order.push('queued message');
    ch.port2.postMessage(null);
    await yieldToEvents();
    order.push('after yield');
    ch.port1.close();
    expect(order).toEqual(['queued message', 'after yield']);
  });
});
