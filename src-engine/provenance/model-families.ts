// Maps model, checkpoint and tool names to model families, so a metadata claim ("animagineXLV3_v30")
// can be compared with a pixel attribution ("sdxl"). Data, not logic: extend the table when new
// families or naming habits appear. Order matters: the first matching row wins, so specific
// patterns come before general ones.
export interface FamilyPattern {
  pattern: RegExp;
  family: string;
  /** Why the pattern means that family, for whoever maintains the table. */
  note: string;
}

export const MODEL_FAMILIES: readonly FamilyPattern[] = [
  { pattern: /dall[-·.\s_]?e[-\s_]?3|dalle3/i, family: 'DALL-E 3', note: 'OpenAI DALL·E 3' },
  { pattern: /dall[-·.\s_]?e[-\s_]?2|dalle2/i, family: 'DALL-E 2', note: 'OpenAI DALL·E 2' },
  { pattern: /gpt[-\s_]?image|gpt[-\s_]?4o|chatgpt/i, family: 'GPT Image', note: 'OpenAI image generation in ChatGPT / the GPT image API' },
  { pattern: /midjourney/i, family: 'Midjourney', note: 'Midjourney service' },
  { pattern: /firefly/i, family: 'Adobe Firefly', note: 'Adobe Firefly service' },
  { pattern: /imagen|gemini/i, family: 'Google Imagen', note: 'Google image models' },
  { pattern: /flux/i, family: 'FLUX', note: 'Black Forest Labs FLUX and its fine-tunes' },
  { pattern: /sd3|stable[-_\s]?diffusion[-_\s]?3/i, family: 'SD 3', note: 'Stable Diffusion 3 / 3.5' },
  // Pony and Illustrious are SDXL fine-tunes whose names do not say "XL".
  { pattern: /pony|illustrious|noobai/i, family: 'SDXL', note: 'SDXL fine-tunes named without "XL"' },
  // Case-sensitive: "XL" in camelCase (animagineXLV3) or "xl" as its own word (sd_xl_base, animagine-xl).
  { pattern: /sdxl|SDXL|XL|(?<![a-z])xl(?![a-z])/, family: 'SDXL', note: 'SDXL base and fine-tunes, by the XL in their names' },
  { pattern: /sd[-_\s]?(?:v?1[-_.]?5|15)(?!\d)|v1-5|stable[-_\s]?diffusion[-_\s]?v?1/i, family: 'SD 1.5', note: 'Stable Diffusion 1.5 and fine-tunes named for it' },
  { pattern: /sd[-_\s]?(?:v?2[-_.]?1?)(?!\d)|stable[-_\s]?diffusion[-_\s]?v?2/i, family: 'SD 2', note: 'Stable Diffusion 2.x' },
];

/** The family a name belongs to, or null when the table does not know it. */
export function familyOf(name: string | null | undefined): string | null {
  if (!name) return null;
  return MODEL_FAMILIES.find((row) => row.pattern.test(name))?.family ?? null;
}
