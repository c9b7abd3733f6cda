import assert from 'node:assert/strict';
import test from 'node:test';
import * as ort from 'onnxruntime-node';
import { FingerprintExtractor } from '../../src-engine/fingerprint/extractor.ts';
import { knownUnavailable, openWithFallback, providersToTry } from '../../src-engine/base/providers.ts';
import { installedModel } from './helpers/fingerprint-model.ts';

test('providers are tried in order and the first that opens is kept, with the reasons for the others', async () => {
  const opened = await openWithFallback(['webgpu', 'cuda', 'cpu'], async (provider) => {
    if (provider !== 'cpu') throw new Error(`${provider} is not available here\nstack...`);
    return `session on ${provider}`;
  });
  assert.equal(opened.session, 'session on cpu');
  assert.equal(opened.provider, 'cpu');
  assert.deepEqual(opened.tried, ['webgpu', 'cuda', 'cpu']);
  assert.deepEqual(opened.failures, [
    { provider: 'webgpu', error: 'webgpu is not available here' },
    { provider: 'cuda', error: 'cuda is not available here' },
  ]);
  const first = await openWithFallback(['webgpu', 'cpu'], async (provider) => provider);
  assert.deepEqual([first.provider, first.tried], ['webgpu', ['webgpu']]);
  await assert.rejects(
    openWithFallback(['cuda', 'cpu'], async (provider) => {
      throw new Error(`no ${provider}`);
    }),
    /no execution provider could run the model: cuda: no cuda; cpu: no cpu/,
  );
});

test('WebGPU on Linux is passed over without the Vulkan loader, found on the library path or in the system folders', () => {
  const none = () => false;
  assert.match(knownUnavailable('webgpu', 'linux', {}, none) ?? '', /no Vulkan loader \(libvulkan\.so\.1\)/);
  assert.equal(knownUnavailable('webgpu', 'linux', { LD_LIBRARY_PATH: '/opt/vk' }, (f) => f === '/opt/vk/libvulkan.so.1'), null);
  assert.equal(knownUnavailable('webgpu', 'linux', {}, (f) => f === '/usr/lib/x86_64-linux-gnu/libvulkan.so.1'), null);
  assert.equal(knownUnavailable('webgpu', 'darwin', {}, none), null, 'Metal needs no loader');
  assert.equal(knownUnavailable('cuda', 'linux', {}, none), null, 'CUDA is tried');
});

test('MODELPRINT_EXECUTION_PROVIDERS narrows the order; unknown names are refused', () => {
  assert.deepEqual(providersToTry({}), ['webgpu', 'cuda', 'cpu']);
  assert.deepEqual(providersToTry({ MODELPRINT_EXECUTION_PROVIDERS: ' CUDA, cpu ' }), ['cuda', 'cpu']);
  assert.throws(() => providersToTry({ MODELPRINT_EXECUTION_PROVIDERS: 'tpu' }), /unknown provider\(s\) tpu/);
});

test('the extractor falls back past a provider that fails to open and one that fails on first run', async () => {
  const model = installedModel();
  const attempts: string[] = [];
  const extractor = await FingerprintExtractor.open(model.onnxPath, ['webgpu', 'cuda', 'cpu'], async (modelPath, provider) => {
    attempts.push(provider);
    if (provider === 'webgpu') throw new Error('Failed to get a WebGPU adapter: No supported adapters');
    const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'] });
    // Opens fine, then fails on the first inference (a provider missing a kernel does this).
    if (provider === 'cuda') return Object.assign(Object.create(session) as ort.InferenceSession, { run: async () => Promise.reject(new Error('CUDA kernel failed')), release: () => session.release() });
    return session;
  });
  try {
    assert.deepEqual(attempts, ['webgpu', 'cuda', 'cpu']);
    assert.equal(extractor.facts.provider, 'cpu');
    assert.deepEqual(extractor.facts.providersTried, ['webgpu', 'cuda', 'cpu']);
    assert.deepEqual(extractor.facts.providerFailures.map((f) => f.error), ['Failed to get a WebGPU adapter: No supported adapters', 'CUDA kernel failed']);
  } finally {
    await extractor.close();
  }
});

test('on this machine (no GPU) the real providers fall through to the CPU', async () => {
  const extractor = await FingerprintExtractor.open(installedModel().onnxPath, ['webgpu', 'cuda', 'cpu']);
  try {
    // With a usable GPU this would be webgpu or cuda: either way the provider used is the last tried.
    assert.equal(extractor.facts.providersTried.at(-1), extractor.facts.provider);
    assert.equal(extractor.facts.providerFailures.length, extractor.facts.providersTried.length - 1);
  } finally {
    await extractor.close();
  }
});
