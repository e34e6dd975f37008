// The dashboard: sign in with a site's access token (kept for this browser session only), choose a
// range (the last 30 days by default), read every panel from the query API.
import { Api, ApiError } from './api.js';
import { advocatesPanel } from './advocates.js';
import { cascadesPanel } from './cascades.js';
import { channelsPanel } from './channels.js';
import { contentsPanel } from './contents.js';
import type { Context } from './context.js';
import { el, replaceChildren } from './dom.js';
import { erasurePanel } from './erasure.js';
import { filteredPanel } from './filtered.js';
import { day } from './format.js';
import { overviewPanels } from './overview.js';
import { seriesPanel } from './series.js';

const sessionKey = 'sharetrack.dashboard';
const dayMs = 86400000;
const app = document.getElementById('app') as HTMLElement;

type Session = { site: string; token: string };

function savedSession(): Session | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(sessionKey) ?? 'null');
    return saved && typeof saved.site === 'string' && typeof saved.token === 'string' ? saved : null;
  } catch {
    return null;
  }
}

function signIn(message = ''): void {
  const site = el('input', { id: 'site', name: 'site', required: true, autocomplete: 'username', pattern: '[a-z0-9_\\-]{1,64}' });
  const token = el('input', { id: 'token', name: 'token', type: 'password', required: true, autocomplete: 'current-password' });
  const form = el('form', { class: 'signin', onsubmit: async (event: Event) => {
    event.preventDefault();
    const session = { site: site.value.trim(), token: token.value };
    try {
      await new Api(session.site, session.token).get('verdicts');
    } catch (error) {
      return signIn(refusalText(error));
    }
    sessionStorage.setItem(sessionKey, JSON.stringify(session));
    void show(session);
  } },
  el('h1', {}, 'ShareTrack'),
  el('p', {}, 'Sign in with your site id and one of its access tokens from the collector\'s sites file.'),
  el('label', { for: 'site' }, 'Site id'), site,
  el('label', { for: 'token' }, 'Access token'), token,
  message ? el('p', { class: 'error', role: 'alert' }, message) : null,
  el('button', { type: 'submit' }, 'Sign in'));
  replaceChildren(app, form);
  site.focus();
}

function refusalText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'That token is not one of this collector\'s access tokens.';
    if (error.status === 403) return 'That token belongs to another site.';
    if (error.code === 'site_unknown') return 'This collector serves no site of that id.';
    return `The collector refused: ${error.message}`;
  }
  return `The collector cannot be reached: ${(error as Error).message}`;
}

function startOfDay(ms: number): number {
  return ms - (ms % dayMs);
}

async function show(session: Session): Promise<void> {
  const api = new Api(session.site, session.token);
  const today = startOfDay(Date.now());
  const state = { from: today - 29 * dayMs, to: today + dayMs, content: null as string | null };
  const fromInput = el('input', { type: 'date', id: 'from', value: day(state.from) });
  const toInput = el('input', { type: 'date', id: 'to', value: day(state.to - dayMs) });
  const filter = el('p', { class: 'filter', role: 'status' });
  const panels = el('main', { class: 'panels' });
  const erasure = el('div');
  const header = el('header', {},
    el('h1', {}, 'ShareTrack ', el('span', { class: 'site' }, session.site)),
    el('form', { class: 'range', onsubmit: (event: Event) => {
      event.preventDefault();
      const from = Date.parse(fromInput.value), to = Date.parse(toInput.value);
      if (Number.isNaN(from) || Number.isNaN(to) || from > to) return;
      state.from = from;
      state.to = to + dayMs;
      void render();
    } },
    el('label', { for: 'from' }, 'From'), fromInput, el('label', { for: 'to' }, 'to'), toInput,
    el('button', { type: 'submit' }, 'Show')),
    el('button', { type: 'button', class: 'signout', onclick: () => { sessionStorage.removeItem(sessionKey); signIn(); } }, 'Sign out'));
  replaceChildren(app, header, filter, panels, erasure);

  const context: Context = {
    api,
    get range() { return { from: state.from, to: state.to }; },
    get content() { return state.content; },
    select(content) { state.content = content; void render(); },
    refresh() { void render(); },
  };
  erasure.append(erasurePanel(context));

  async function render(): Promise<void> {
    replaceChildren(filter, state.content
      ? el('span', {}, 'Showing testimonial ', el('strong', {}, state.content), ' only. ',
        el('button', { type: 'button', class: 'link', onclick: () => context.select(null) }, 'Show all'))
      : '');
    panels.setAttribute('aria-busy', 'true');
    try {
      const built = await Promise.all([overviewPanels(context), seriesPanel(context), contentsPanel(context),
        channelsPanel(context), advocatesPanel(context), cascadesPanel(context), filteredPanel(context)]);
      replaceChildren(panels, ...built.flat());
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        sessionStorage.removeItem(sessionKey);
        return signIn(refusalText(error));
      }
      replaceChildren(panels, el('p', { class: 'error', role: 'alert' }, refusalText(error)));
    } finally {
      panels.setAttribute('aria-busy', 'false');
    }
  }
  await render();
}

const session = savedSession();
if (session) void show(session);
else signIn();
