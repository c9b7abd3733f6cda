// The native picker behind the chooseImportPaths API method (the engine receives it as an option).
import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron';

export async function chooseImportPaths(mode: 'files' | 'folder'): Promise<string[]> {
  const options: OpenDialogOptions =
    mode === 'files'
      ? { title: 'Import evidence files', properties: ['openFile', 'multiSelections'] }
      : { title: 'Import an evidence folder', properties: ['openDirectory'] };
  const parent = BrowserWindow.getFocusedWindow();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}
