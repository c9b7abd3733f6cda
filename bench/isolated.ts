// Runs one measurement in a fresh Node process, so its peak memory is its own and not inflated
// by whatever ran before it (image generation, the other variant).
import { spawn } from 'node:child_process';

export function runIsolated<T>(script: string, args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`${script} exited with ${code}`));
      else resolve(JSON.parse(last) as T);
    });
  });
}
