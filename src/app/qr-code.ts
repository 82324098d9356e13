/**
 * Draws a QR code as SVG markup with paulmillr's `qr` (one small library both draws and reads codes;
 * qrcode plus jsQR weighed 56 KB gzipped, this about 12 KB). Imported lazily by the screens that show a code.
 */
import encodeQR from 'qr';

/**
 * `text` as an SVG QR code with error correction M and `border` modules of quiet zone. The white
 * background is part of the image (a dark theme or a photo of the screen must still see light margins),
 * and crisp edges keep neighbouring modules from showing hairline seams when scaled.
 */
export function qrSvg(text: string, border: number): string {
  const svg = encodeQR(text, 'svg', { ecc: 'medium', border });
  return svg.replace('<svg ', '<svg shape-rendering="crispEdges" ').replace(/(<svg[^>]*>)/, '$1<rect width="100%" height="100%" fill="#fff"/>');
}
