// Execution providers, fastest first: WebGPU (any GPU with Vulkan/Metal/D3D12), CUDA (only after
// `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node`), CPU always. onnxruntime-node
// lists what it was built with, but only opening a session proves a provider works here (no GPU,
// no Vulkan loader, no CUDA libraries all show up as a throw), so each is tried in turn and the
// first that opens and runs is kept. Its name goes with every fingerprint it computes.

import fs from 'node:fs';
import path from 'node:path';

export const PROVIDER_ORDER = ['webgpu', 'cuda', 'cpu'] as const;

const LINUX_LIBRARY_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib', '/lib/x86_64-linux-gnu', '/lib64'];

/**
 * Why a provider cannot work here, known without trying it; null when it has to be tried. On Linux
 * WebGPU runs on Vulkan: without the Vulkan loader, trying it only makes Dawn print "Couldn't load
 * Vulkan" on every run.
 */
export function knownUnavailable(provider: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, exists: (file: string) => boolean = fs.existsSync): string | null {
  if (provider !== 'webgpu' || platform !== 'linux') return null;
  const dirs = [...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...LINUX_LIBRARY_DIRS];
  return dirs.some((dir) => exists(path.join(dir, 'libvulkan.so.1'))) ? null : 'no Vulkan loader (libvulkan.so.1) on this machine';
}

/** $MODELPRINT_EXECUTION_PROVIDERS ("cpu", "cuda,cpu", ...) narrows the order, e.g. around a broken GPU driver. */
export function providersToTry(env: NodeJS.ProcessEnv = process.env): string[] {
  const wanted = env.MODELPRINT_EXECUTION_PROVIDERS?.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);
  if (!wanted || wanted.length === 0) return [...PROVIDER_ORDER];
  const unknown = wanted.filter((p) => !(PROVIDER_ORDER as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`MODELPRINT_EXECUTION_PROVIDERS: unknown provider(s) ${unknown.join(', ')}; known: ${PROVIDER_ORDER.join(', ')}`);
  return wanted;
}

export interface ProviderAttempt {
  provider: string;
  error: string;
}

/** The provider a model runs on and how it was chosen, as reported with the model's other facts. */
export interface ProviderFacts {
  provider: string;
  providersTried: string[];
  providerFailures: ProviderAttempt[];
}

export interface Opened<S> {
  session: S;
  provider: string;
  /** Every provider tried, in order, the one in use last. */
  tried: string[];
  /** Why the providers before it were passed over. */
  failures: ProviderAttempt[];
}

/**
 * Opens a session with the first provider that works. `open` creates a session for one provider
 * and should also run it once: some providers open fine and fail on the first inference.
 */
export async function openWithFallback<S>(providers: readonly string[], open: (provider: string) => Promise<S>): Promise<Opened<S>> {
  const failures: ProviderAttempt[] = [];
  for (const provider of providers) {
    try {
      const session = await open(provider);
      return { session, provider, tried: [...failures.map((f) => f.provider), provider], failures };
    } catch (error) {
      failures.push({ provider, error: (error instanceof Error ? error.message : String(error)).split('\n')[0]! });
    }
  }
  throw new Error(`no execution provider could run the model: ${failures.map((f) => `${f.provider}: ${f.error}`).join('; ')}`);
}
