/**
 * One turn of the event loop, for long work that must let other messages in: the worker's decoder
 * between model calls (so `abort` and `ping` are handled mid-decode) and the batch screen between
 * records (so the page paints and 取消 is seen). A MessageChannel round trip, not setTimeout(0):
 * browsers clamp nested timeouts to 4 ms, which would add seconds over a long decode.
 */
export function yieldToEvents(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}
