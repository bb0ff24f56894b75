// The demo's evidence pictures, drawn here as small PNGs rather than shipped as files: a parcel
// for delivery and stage photos, and a signed form with a red seal for receipts. They only have
// to read at a glance as "a photo" and "a signed form" in the evidence thumbnails.
import { crc32, deflateSync } from 'node:zlib'

type Colour = readonly [number, number, number]
type Painter = (x: number, y: number) => Colour | undefined

// Square: the pages show evidence as 96 × 96 thumbnails.
const WIDTH = 120
const HEIGHT = 120

function png (paint: Painter, background: Colour): Buffer {
  const raw = Buffer.alloc((WIDTH * 3 + 1) * HEIGHT)
  for (let y = 0; y < HEIGHT; y++) {
    const row = y * (WIDTH * 3 + 1) // each row starts with its filter byte, 0 (none)
    for (let x = 0; x < WIDTH; x++) raw.set(paint(x, y) ?? background, row + 1 + x * 3)
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(WIDTH, 0)
  header.writeUInt32BE(HEIGHT, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8 bits per channel, RGB, no interlace
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

const inside = (x: number, y: number, left: number, top: number, right: number, bottom: number) => x >= left && x < right && y >= top && y < bottom

/** A parcel on a table: the delivery photo and the stage photos of demo help. */
export const DEMO_PHOTO = png((x, y) => {
  if (y >= 92) return [176, 132, 92] // table
  if (inside(x, y, 55, 34, 65, 92)) return [222, 196, 120] // tape
  if (inside(x, y, 20, 34, 100, 92)) return x < 24 || x >= 96 || y < 38 ? [168, 120, 72] : [204, 156, 100] // box with its edges
  return undefined
}, [228, 236, 244])

/** A form with lines of text, a signature and a red seal: the signed receipts of demo help. */
export const DEMO_RECEIPT = png((x, y) => {
  const seal = (x - 84) ** 2 + (y - 88) ** 2
  if (seal <= 16 ** 2 && seal >= 13 ** 2) return [206, 40, 40] // the seal's ring
  if (seal <= 5 ** 2) return [206, 40, 40] // its centre
  if (!inside(x, y, 12, 8, 108, 112)) return undefined
  if (inside(x, y, 36, 16, 84, 22)) return [60, 60, 60] // title
  if ([32, 44, 56, 68].some(line => inside(x, y, 20, line, line === 68 ? 66 : 100, line + 3))) return [150, 150, 150] // lines of text
  if (inside(x, y, 20, 88, 60, 102) && Math.abs((y - 95) - 4 * Math.sin((x - 20) / 4)) < 1.2) return [30, 50, 120] // signature
  return [255, 255, 255]
}, [210, 214, 220])
