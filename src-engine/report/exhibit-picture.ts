// The picture of an exhibit in the report: a downscaled rendering of the stored copy (the one
// whose hash was just re-verified), as an image viewer shows it (EXIF orientation applied), so the
// reader sees what was examined. It is an illustration, not the evidence: the caption says so and
// gives the hash of the file it was rendered from.
import sharp from 'sharp';
import type { ContentStore } from '../base/content-store.ts';
import { PIXEL_LIMIT } from '../base/pixel-limit.ts';

/** Longest side of the rendering, in pixels: enough to recognise the content at 60 mm, small enough for 500 items. */
export const PICTURE_SIDE = 360;

export interface ExhibitPicture {
  dataUri: string;
  width: number;
  height: number;
}

export async function exhibitPicture(store: ContentStore, sha256: string): Promise<ExhibitPicture | null> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
  try {
    const { data, info } = await sharp(store.evidencePath(sha256), { limitInputPixels: PIXEL_LIMIT, failOn: 'none' })
      .rotate()
      .resize(PICTURE_SIDE, PICTURE_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    return { dataUri: `data:image/jpeg;base64,${data.toString('base64')}`, width: info.width, height: info.height };
  } catch {
    return null;
  }
}
