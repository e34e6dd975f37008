import type { Api, Range } from './api.js';

// What every panel reads: the API, the chosen range, the chosen testimonial (or none), and the
// page's two actions.
export type Context = {
  api: Api;
  range: Range;
  content: string | null;
  select(content: string | null): void;  // filter the page by one testimonial
  refresh(): void;                         // read everything again
};

export function panel(title: string, id: string, ...body: Node[]): HTMLElement {
  const section = document.createElement('section');
  section.className = 'panel';
  section.id = id;
  section.setAttribute('aria-labelledby', `${id}-title`);
  const heading = document.createElement('h2');
  heading.id = `${id}-title`;
  heading.textContent = title;
  section.append(heading, ...body);
  return section;
}
