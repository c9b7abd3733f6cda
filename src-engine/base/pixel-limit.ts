/**
 * Largest image accepted for analysis, in pixels (width x height of one frame). 100 MP covers
 * every generator output we know of (SDXL, DALL-E, Midjourney upscales are <= 16 MP) while a
 * crafted "pixel bomb" of a few KiB cannot make us allocate tens of GiB. Larger files are kept
 * as evidence, marked not analysable.
 */
export const PIXEL_LIMIT = 100_000_000;
