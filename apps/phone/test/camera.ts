// A fake camera for Chromium: the activation QR code the API serves (a PNG data URI) decoded
// here and written as a YUV4MPEG2 file, which `--use-file-for-fake-video-capture` plays in a loop
// as the webcam. Both formats are small enough to write by hand (no ffmpeg on these machines).
import { writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

export interface GreyImage {
  readonly width: number;
  readonly height: number;
  /** One byte per pixel, 0 = black, 255 = white. */
  readonly pixels: Uint8Array;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** PNG (8-bit grey, grey+alpha, RGB, RGBA or palette; not interlaced) to grey levels. */
export function decodePng(png: Uint8Array): GreyImage {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = 8; // the signature
  let width = 0;
  let height = 0;
  let colorType = 0;
  let palette: Uint8Array = new Uint8Array();
  const data: Uint8Array[] = [];
  while (offset < png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      const bitDepth = body[8];
      colorType = body[9]!;
      if (bitDepth !== 8 || body[12] !== 0) throw new Error('only 8-bit, non-interlaced PNG here');
    } else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const channels = CHANNELS[colorType];
  if (!channels) throw new Error(`PNG colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const rows = new Uint8Array(height * stride);
  // Undo the per-row filters (PNG specification §9: None, Sub, Up, Average, Paeth).
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const source = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? rows[y * stride + x - channels]! : 0;
      const b = y > 0 ? rows[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      rows[y * stride + x] = (source[x]! + predictor) & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const p = rows.subarray(i * channels, (i + 1) * channels);
    let [r, g, b] = channels >= 3 ? [p[0]!, p[1]!, p[2]!] : [p[0]!, p[0]!, p[0]!];
    if (colorType === 3) [r, g, b] = [palette[p[0]! * 3]!, palette[p[0]! * 3 + 1]!, palette[p[0]! * 3 + 2]!];
    pixels[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  return { width, height, pixels };
}

export function decodeDataUri(uri: string): Uint8Array {
  const match = /^data:image\/png;base64,(.+)$/.exec(uri);
  if (!match) throw new Error(`not a PNG data URI: ${uri.slice(0, 40)}`);
  return new Uint8Array(Buffer.from(match[1]!, 'base64'));
}

/**
 * A Y4M video (4:2:0, full range) of `image` centred on a white `width`×`height` frame, a few
 * identical frames (Chromium loops the file).
 */
export function writeY4m(file: string, image: GreyImage, width = 640, height = 480, frames = 3): void {
  const luma = new Uint8Array(width * height).fill(255);
  const left = Math.floor((width - image.width) / 2);
  const top = Math.floor((height - image.height) / 2);
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++)
      luma[(top + y) * width + left + x] = image.pixels[y * image.width + x]!;
  const chroma = new Uint8Array((width / 2) * (height / 2)).fill(128);
  const header = new TextEncoder().encode(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  const frame = new TextEncoder().encode('FRAME\n');
  const parts: Uint8Array[] = [header];
  for (let i = 0; i < frames; i++) parts.push(frame, luma, chroma, chroma);
  writeFileSync(file, Buffer.concat(parts));
}
