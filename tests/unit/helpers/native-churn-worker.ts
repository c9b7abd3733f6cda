// A worker that keeps native work in flight: sharp encodes started back to back, several at once,
// until cancelled, with some still running when the cancel arrives.
import sharp from 'sharp';
import { serveRequests } from '../../../src-engine/base/rpc-worker.ts';

function encode(): Promise<Buffer> {
  return sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#808080' } }).blur(4).png().toBuffer();
}

serveRequests<{ type: 'churn' }>(async (_request, signal) => {
  let done = 0;
  while (!signal.aborted) {
    void encode();
    await encode();
    done++;
  }
  return done;
});
