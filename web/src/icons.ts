// Each control's icon as inline SVG (no font, no request), hidden from screen readers: the button
// keeps its label. The networks' marks are Simple Icons' drawings (the npm package, pinned; web/
// README.md says which usage rules they follow); the copy, share and email icons are our own.
// Marks are filled and ours stroked, both in currentColor, so a theme colours them like text.
import { siFacebook, siLinkedin, siWhatsapp, siX } from 'simple-icons';
import type { ShareChannel } from './engine-module.js';

const marks: Partial<Record<ShareChannel, string>> = {
  x: siX.path,
  facebook: siFacebook.path,
  linkedin: siLinkedin.path,
  whatsapp: siWhatsapp.path,
};

// 24 x 24, drawn with a 2-unit round stroke.
const strokes: Partial<Record<ShareChannel, string>> = {
  // A box with an arrow leaving it upwards: the system share sheet.
  native: 'M12 3v12M7.5 7.5 12 3l4.5 4.5M5 12v7a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-7',
  // Two links of a chain.
  copy: 'M10.5 13.5a4 4 0 0 0 5.66 0l3.3-3.3a4 4 0 0 0-5.66-5.66l-1.4 1.4M13.5 10.5a4 4 0 0 0-5.66 0l-3.3 3.3a4 4 0 0 0 5.66 5.66l1.4-1.4',
  // An envelope.
  email: 'M4 5h16a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1ZM3.5 6l8.5 7 8.5-7',
};

const svgNs = 'http://www.w3.org/2000/svg';

/** The icon of `channel`, or of the compact layout's share button (`native`'s). */
export function icon(channel: ShareChannel): SVGSVGElement {
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(svgNs, 'path');
  const mark = marks[channel];
  if (mark) {
    path.setAttribute('d', mark);
    svg.setAttribute('fill', 'currentColor');
  } else {
    path.setAttribute('d', strokes[channel] ?? strokes.native!);
    svg.setAttribute('class', 'stroked');
  }
  svg.append(path);
  return svg;
}
