// A task of its own for work that would otherwise hold the main thread too long: what the page has
// waiting (input, rendering, its own scripts) goes first. A MessageChannel's message, since
// setTimeout is clamped to 4 ms once timers nest.
const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();

/** Settles in a new task. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}
