// Makes the demo's video testimonial (demo/site/media/testimonial.webm) in headless Chromium: a
// canvas animated for eight seconds, recorded with MediaRecorder as VP8 WebM. Run by hand when the
// clip should change (node demo/make-video.mjs); the clip is committed, so the demo needs nothing
// at build time.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const out = fileURLToPath(new URL('site/media/testimonial.webm', import.meta.url));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
const base64 = await page.evaluate(async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const g = canvas.getContext('2d');
  const lines = ['“I switched to Northwind', 'for the morning ritual,', 'and stayed for the people.”', '— Ana, Lisbon'];
  const recorder = new MediaRecorder(canvas.captureStream(15), { mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 60000 });
  const chunks = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const started = performance.now();
  const draw = () => {
    const t = (performance.now() - started) / 1000;
    g.fillStyle = `hsl(${28 + 6 * Math.sin(t)}, 45%, ${22 + 3 * Math.sin(t / 2)}%)`;
    g.fillRect(0, 0, 320, 180);
    g.fillStyle = '#f5e6d3';
    g.beginPath();
    g.arc(48, 90, 26 + 2 * Math.sin(t * 3), 0, Math.PI * 2);
    g.fill();
    g.font = '15px sans-serif';
    lines.forEach((line, i) => {
      g.globalAlpha = Math.min(1, Math.max(0, t - i * 1.2));
      g.fillText(line, 92, 60 + i * 24);
    });
    g.globalAlpha = 1;
  };
  draw();
  recorder.start();
  await new Promise((resolve) => {
    const tick = () => { draw(); if (performance.now() - started < 8000) requestAnimationFrame(tick); else resolve(); };
    requestAnimationFrame(tick);
  });
  recorder.stop();
  await new Promise((resolve) => { recorder.onstop = resolve; });
  const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
});
writeFileSync(out, Buffer.from(base64, 'base64'));
await browser.close();
console.log(`${out}: ${Buffer.from(base64, 'base64').length} bytes`);
