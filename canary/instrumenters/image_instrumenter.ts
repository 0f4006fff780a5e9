import type { CanaryContext } from "../canary_context.ts";
import { callbackUrl } from "../callback_url.ts";
import { concatBytes } from "../_bytes.ts";
import { crc32 } from "../_crc32.ts";
import { InstrumentError } from "./instrument_error.ts";
import type { Instrumenter } from "./instrumenter.ts";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function u32be(n: number): Uint8Array {
  return Uint8Array.from([n >>> 24 & 255, n >>> 16 & 255, n >>> 8 & 255, n & 255]);
}

/** PNG: a tEXt "Comment" chunk right after IHDR. */
function pngWithText(input: Uint8Array, text: string): Uint8Array {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  if (input.length < 33 || String.fromCharCode(...input.subarray(12, 16)) !== "IHDR") {
    throw new InstrumentError("image", "the PNG has no IHDR chunk first");
  }
  const afterIhdr = 8 + 12 + view.getUint32(8);
  const data = new TextEncoder().encode(`Comment\0${text}`);
  const typeAndData = concatBytes([new TextEncoder().encode("tEXt"), data]);
  const chunk = concatBytes([u32be(data.length), typeAndData, u32be(crc32(typeAndData))]);
  return concatBytes([input.subarray(0, afterIhdr), chunk, input.subarray(afterIhdr)]);
}

/** JPEG: a COM segment after SOI and any APPn segments (JFIF/Exif stay first). */
function jpegWithComment(input: Uint8Array, text: string): Uint8Array {
  let at = 2;
  while (
    at + 4 <= input.length && input[at] === 0xff && input[at + 1] >= 0xe0 && input[at + 1] <= 0xef
  ) {
    at += 2 + ((input[at + 2] << 8) | input[at + 3]);
  }
  if (at > input.length) {
    throw new InstrumentError("image", "the JPEG's APP segments are truncated");
  }
  const data = new TextEncoder().encode(text);
  const segment = concatBytes([
    Uint8Array.from([0xff, 0xfe, (data.length + 2) >> 8, (data.length + 2) & 255]),
    data,
  ]);
  return concatBytes([input.subarray(0, at), segment, input.subarray(at)]);
}

/** GIF: a comment extension after the global colour table (GIF87a becomes GIF89a). */
function gifWithComment(input: Uint8Array, text: string): Uint8Array {
  if (input.length < 13) throw new InstrumentError("image", "the GIF is truncated");
  const packed = input[10];
  const at = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
  if (at > input.length) throw new InstrumentError("image", "the GIF colour table is truncated");
  const data = new TextEncoder().encode(text);
  const blocks: Uint8Array[] = [Uint8Array.from([0x21, 0xfe])];
  for (let i = 0; i < data.length; i += 255) {
    const part = data.subarray(i, i + 255);
    blocks.push(Uint8Array.from([part.length]), part);
  }
  blocks.push(Uint8Array.from([0]));
  const head = input.slice(0, at);
  head.set(new TextEncoder().encode("GIF89a"), 0);
  return concatBytes([head, ...blocks, input.subarray(at)]);
}

/**
 * Images: the callback URL in metadata (PNG tEXt, JPEG COM, GIF comment
 * extension); pixels untouched. Passive: nothing fetches it by itself.
 */
export const imageInstrumenter: Instrumenter = {
  name: "image",
  instrument(input: Uint8Array, context: CanaryContext): Promise<Uint8Array> {
    try {
      const url = callbackUrl(context);
      if (PNG_SIGNATURE.every((b, i) => input[i] === b)) {
        return Promise.resolve(pngWithText(input, url));
      }
      if (input[0] === 0xff && input[1] === 0xd8) {
        return Promise.resolve(jpegWithComment(input, url));
      }
      const head = String.fromCharCode(...input.subarray(0, 6));
      if (head === "GIF87a" || head === "GIF89a") {
        return Promise.resolve(gifWithComment(input, url));
      }
      throw new InstrumentError("image", "the file is not a PNG, JPEG or GIF image");
    } catch (e) {
      return Promise.reject(e);
    }
  },
};
