/**
 * A QR-like SVG picture of a login code (internal). It has the three finder
 * squares of a QR code and modules derived from the code's hash; it is not a
 * decodable QR code (the sandbox's "scan" is a control call), but it looks
 * and screenshots like one.
 *
 * @module
 */

const SIZE = 29;
const FINDERS: readonly [number, number][] = [[0, 0], [SIZE - 7, 0], [0, SIZE - 7]];

/** SVG markup for `token`, `px` pixels square. */
export function qrSvg(token: string, px = 232): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193) >>> 0;
  const bit = () => {
    h ^= h << 13;
    h >>>= 0;
    h ^= h >>> 17;
    h ^= h << 5;
    h >>>= 0;
    return (h & 1) === 1;
  };
  const rects: string[] = [];
  const inFinder = (x: number, y: number) =>
    FINDERS.some(([fx, fy]) => x >= fx - 1 && x <= fx + 7 && y >= fy - 1 && y <= fy + 7);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      if (!inFinder(x, y) && bit()) rects.push(`<rect x="${x}" y="${y}" width="1" height="1"/>`);
    }
  }
  for (const [fx, fy] of FINDERS) {
    rects.push(
      `<rect x="${fx}" y="${fy}" width="7" height="7"/>`,
      `<rect x="${fx + 1}" y="${fy + 1}" width="5" height="5" fill="#fff"/>`,
      `<rect x="${fx + 2}" y="${fy + 2}" width="3" height="3"/>`,
    );
  }
  const q = 2; // quiet zone
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" ` +
    `viewBox="${-q} ${-q} ${SIZE + 2 * q} ${SIZE + 2 * q}" shape-rendering="crispEdges">` +
    `<rect x="${-q}" y="${-q}" width="${SIZE + 2 * q}" height="${SIZE + 2 * q}" fill="#fff"/>` +
    `<g fill="#1f2329">${rects.join("")}</g></svg>`;
}
