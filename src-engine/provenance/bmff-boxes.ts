// Walks the top-level boxes of an ISO-BMFF file (AVIF, HEIF): enough to find C2PA's 'uuid' box
// and to see where the declared boxes end.

export interface BmffBox {
  type: string;
  offset: number;
  /** The payload after the box header (and after the 16-byte user type of a 'uuid' box). */
  data: Buffer;
  /** 'uuid' boxes only: the user type as 32 lowercase hex digits. */
  userType: string | null;
}

export interface BmffWalk {
  boxes: BmffBox[];
  /** Offset where the last whole box ends. */
  endOffset: number;
  problems: string[];
}

export function isBmff(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && Buffer.from(bytes.subarray(4, 8)).toString('latin1') === 'ftyp';
}

export function walkBmff(bytes: Buffer): BmffWalk {
  const walk: BmffWalk = { boxes: [], endOffset: 0, problems: [] };
  let pos = 0;
  while (pos + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    let header = 8;
    if (size === 1) {
      if (pos + 16 > bytes.length) break;
      size = Number(bytes.readBigUInt64BE(pos + 8));
      header = 16;
    } else if (size === 0) {
      size = bytes.length - pos; // the box runs to the end of the file
    }
    if (size < header || pos + size > bytes.length) {
      walk.problems.push(`box '${type}' at byte ${pos} declares ${size} bytes, past the end of the file`);
      break;
    }
    const isUuid = type === 'uuid' && size >= header + 16;
    const userType = isUuid ? bytes.toString('hex', pos + header, pos + header + 16) : null;
    walk.boxes.push({ type, offset: pos, data: bytes.subarray(pos + header + (isUuid ? 16 : 0), pos + size), userType });
    pos += size;
    walk.endOffset = pos;
  }
  return walk;
}
