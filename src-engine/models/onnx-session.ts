// Opening an onnxruntime session for one execution provider, the same way for every model the
// fingerprint and curve workers run (the extractor, layered encoders). Which provider to use is
// decided by openWithFallback (base/providers.ts), which calls an opener once per provider.
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { knownUnavailable, openWithFallback, type ProviderFacts } from '../base/providers.ts';

/** Opens `modelPath` with one execution provider; tests pass their own to fake a provider failing. */
export type OnnxSessionOpener = (modelPath: string, provider: string) => Promise<ort.InferenceSession>;

// Providers that cannot start here are expected: the fallback reports them, not ORT's own log.
ort.env.logLevel = 'fatal';

export const openOnnxSession: OnnxSessionOpener = async (modelPath, provider) => {
  // Refused before onnxruntime tries it, so a machine without the GPU's runtime gets a reason, not Dawn's stderr warning.
  const unavailable = knownUnavailable(provider);
  if (unavailable !== null) throw new Error(unavailable);
  return ort.InferenceSession.create(modelPath, {
    executionProviders: [provider],
    // One inference at a time, spread over every core; decoding overlaps it on libuv's threads.
    intraOpNumThreads: os.availableParallelism(),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 4,
  });
};

export interface CheckedSession<F> {
  session: ort.InferenceSession;
  /** What `check` found out about the model. */
  facts: F;
  providers: ProviderFacts;
}

/**
 * Opens the model with the first provider that works. `check` runs each new session once (some
 * providers open fine and fail on the first inference) and checks the model's I/O contract; a
 * session it throws for is released and the next provider tried.
 */
export async function openCheckedSession<F>(
  modelPath: string,
  providers: readonly string[],
  check: (session: ort.InferenceSession) => Promise<F>,
  opener: OnnxSessionOpener = openOnnxSession,
): Promise<CheckedSession<F>> {
  const opened = await openWithFallback(providers, async (provider) => {
    const session = await opener(modelPath, provider);
    try {
      return { session, facts: await check(session) };
    } catch (error) {
      await session.release();
      throw error;
    }
  });
  return {
    session: opened.session.session,
    facts: opened.session.facts,
    providers: { provider: opened.provider, providersTried: opened.tried, providerFailures: opened.failures },
  };
}
