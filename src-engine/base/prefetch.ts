// Runs a sequence of preparation steps one at a time, up to `lookahead` ahead of the consumer, so
// decoding the next images overlaps inference on the current batch without piling up decoded
// images (one image of 100 MP is already 300 MB). `prepare` reports failures in its result: a
// rejection would end the whole sequence.
export async function* prefetched<T>(count: number, prepare: (index: number) => Promise<T>, lookahead: number): AsyncGenerator<T> {
  const queue: Promise<T>[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  let started = 0;
  const startNext = (): void => {
    const index = started++;
    const step = chain.then(() => prepare(index));
    chain = step.catch(() => undefined);
    queue.push(step);
  };
  while (started < count && queue.length < lookahead) startNext();
  while (queue.length > 0) {
    const step = queue.shift()!;
    if (started < count) startNext();
    yield await step;
  }
}
