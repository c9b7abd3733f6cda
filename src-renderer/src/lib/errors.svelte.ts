// Errors the examiner must see: every failed API call ends up here (or in a form's own message),
// and stays on screen until dismissed.
import { errorMessage } from './format.ts';

export interface ShownError {
  id: number;
  context: string;
  message: string;
}

let nextId = 1;
export const shownErrors = $state<ShownError[]>([]);

export function showError(context: string, error: unknown): void {
  shownErrors.push({ id: nextId++, context, message: errorMessage(error) });
}

export function dismissError(id: number): void {
  const index = shownErrors.findIndex((entry) => entry.id === id);
  if (index >= 0) shownErrors.splice(index, 1);
}
