// PNG post-processing: stamp the physical resolution (pHYs chunk) so a 300-dpi export opens at its intended size
// in LaTeX, Inkscape and journal systems. Pure byte manipulation, no DOM.

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

let crcTable: Uint32Array | null = null;
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface PngInfo {
  width: number;
  height: number;
  /** Dots per inch from pHYs, if present. */
  dpi?: number;
}

function isPng(bytes: Uint8Array): boolean {
  return bytes.length > 33 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Reads the pixel size (IHDR) and the resolution (pHYs) of a PNG. Throws on anything that is not a PNG. */
export function readPngInfo(bytes: Uint8Array): PngInfo {
  if (!isPng(bytes)) throw new Error('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const info: PngInfo = { width: view.getUint32(16), height: view.getUint32(20) };
  let off = 8;
  while (off + 8 <= bytes.length) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...bytes.subarray(off + 4, off + 8));
    if (type === 'pHYs' && bytes[off + 16] === 1) info.dpi = Math.round(view.getUint32(off + 8) * 0.0254);
    if (type === 'IDAT' || type === 'IEND') break;
    off += 12 + len;
  }
  return info;
}

/** Returns a copy of the PNG with a pHYs chunk for `dpi` inserted right after IHDR (replacing any existing one). */
export function withPngDpi(bytes: Uint8Array, dpi: number): Uint8Array {
  if (!isPng(bytes)) throw new Error('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ihdrEnd = 8 + 12 + view.getUint32(8);
  // Drop an existing pHYs chunk, keep everything else.
  const parts: Uint8Array[] = [bytes.subarray(0, ihdrEnd)];
  let off = ihdrEnd;
  const rest: Uint8Array[] = [];
  while (off + 8 <= bytes.length) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...bytes.subarray(off + 4, off + 8));
    if (type !== 'pHYs') rest.push(bytes.subarray(off, off + 12 + len));
    off += 12 + len;
  }
  const ppm = Math.round(dpi / 0.0254);
  const chunk = new Uint8Array(21);
  const cv = new DataView(chunk.buffer);
  cv.setUint32(0, 9);
  chunk.set([112, 72, 89, 115], 4); // 'pHYs'
  cv.setUint32(8, ppm);
  cv.setUint32(12, ppm);
  chunk[16] = 1; // unit: metre
  cv.setUint32(17, crc32(chunk.subarray(4, 17)));
  parts.push(chunk, ...rest);
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
