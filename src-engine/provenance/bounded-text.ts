// Reports must stay readable and storable: long texts (prompts, workflows, XMP packets) are cut
// to a stated length, and the cut says how long the original was.
export const MAX_SIGNAL_TEXT = 4000;

export function clip(text: string, max = MAX_SIGNAL_TEXT): string {
  return text.length > max ? `${text.slice(0, max)}… (cut; ${text.length} characters in all)` : text;
}
