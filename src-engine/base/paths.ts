import os from 'node:os';
import path from 'node:path';

/**
 * Where the library lives unless --home / MODELPRINT_HOME says otherwise: the platform's per-user
 * data folder, so evidence never lands in a temp or program folder.
 */
export function defaultLibraryHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MODELPRINT_HOME) return path.resolve(env.MODELPRINT_HOME);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Modelprint');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Modelprint');
    default:
      return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'modelprint');
  }
}

export function defaultActor(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
