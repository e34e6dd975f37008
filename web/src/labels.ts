// What the widget says, in the page's language: built-in labels for English, German, French,
// Spanish, Portuguese, Italian and Dutch, chosen by the element's (or the page's) `lang`, each
// overridable per widget (a `label-<name>` attribute) or for the site (the `labels` option). The
// same choice shapes the text sent with a share (the quotation marks around a quote).

/** Every text the widget shows or announces. `{network}` stands for a network's name. */
export interface Labels {
  /** The group of controls, for screen readers. */
  group: string;
  /** The compact layout's button that opens the list. */
  share: string;
  /** The system share sheet (navigator.share). */
  native: string;
  copy: string;
  /** A network's button, read by screen readers and shown as its tooltip. */
  shareOn: string;
  email: string;
  copied: string;
  shared: string;
  copyFailed: string;
  shareFailed: string;
  /** Quotation marks around a quote in the shared text: opening, closing. */
  quoteOpen: string;
  quoteClose: string;
}

export type LabelName = keyof Labels;

const builtIn: Record<string, Labels> = {
  en: {
    group: 'Share this testimonial', share: 'Share', native: 'Share…', copy: 'Copy link', shareOn: 'Share on {network}',
    email: 'Email', copied: 'Link copied', shared: 'Thanks for sharing', copyFailed: 'Could not copy the link',
    shareFailed: 'Could not share', quoteOpen: '“', quoteClose: '”',
  },
  de: {
    group: 'Diese Erfahrung teilen', share: 'Teilen', native: 'Teilen…', copy: 'Link kopieren',
    shareOn: 'Auf {network} teilen', email: 'E-Mail', copied: 'Link kopiert', shared: 'Danke fürs Teilen',
    copyFailed: 'Link konnte nicht kopiert werden', shareFailed: 'Teilen fehlgeschlagen', quoteOpen: '„', quoteClose: '“',
  },
  fr: {
    group: 'Partager ce témoignage', share: 'Partager', native: 'Partager…', copy: 'Copier le lien',
    shareOn: 'Partager sur {network}', email: 'E-mail', copied: 'Lien copié', shared: 'Merci du partage',
    copyFailed: 'Impossible de copier le lien', shareFailed: 'Partage impossible', quoteOpen: '«\u202f', quoteClose: '\u202f»',
  },
  es: {
    group: 'Compartir este testimonio', share: 'Compartir', native: 'Compartir…', copy: 'Copiar enlace',
    shareOn: 'Compartir en {network}', email: 'Correo', copied: 'Enlace copiado', shared: 'Gracias por compartir',
    copyFailed: 'No se pudo copiar el enlace', shareFailed: 'No se pudo compartir', quoteOpen: '«', quoteClose: '»',
  },
  pt: {
    group: 'Compartilhar este depoimento', share: 'Compartilhar', native: 'Compartilhar…', copy: 'Copiar link',
    shareOn: 'Compartilhar no {network}', email: 'E-mail', copied: 'Link copiado', shared: 'Obrigado por compartilhar',
    copyFailed: 'Não foi possível copiar o link', shareFailed: 'Não foi possível compartilhar', quoteOpen: '“',
    quoteClose: '”',
  },
  it: {
    group: 'Condividi questa testimonianza', share: 'Condividi', native: 'Condividi…', copy: 'Copia link',
    shareOn: 'Condividi su {network}', email: 'Email', copied: 'Link copiato', shared: 'Grazie per la condivisione',
    copyFailed: 'Impossibile copiare il link', shareFailed: 'Impossibile condividere', quoteOpen: '«', quoteClose: '»',
  },
  nl: {
    group: 'Deze ervaring delen', share: 'Delen', native: 'Delen…', copy: 'Link kopiëren', shareOn: 'Delen op {network}',
    email: 'E-mail', copied: 'Link gekopieerd', shared: 'Bedankt voor het delen', copyFailed: 'Link kopiëren mislukt',
    shareFailed: 'Delen mislukt', quoteOpen: '“', quoteClose: '”',
  },
};

export const labelNames = Object.keys(builtIn.en) as LabelName[];

/** The built-in labels for a BCP 47 tag ("de-AT" → German, "frr" → none); English for any other. */
export function labelsFor(lang: string): Labels {
  return builtIn[lang.split(/[-_]/)[0].toLowerCase()] ?? builtIn.en;
}

/** The language that applies to `element`: its own or its nearest ancestor's `lang`, across the
 *  shadow roots it sits in, else the page's. */
export function languageOf(element: Element): string {
  for (let at: Element | null = element; at; at = (at.getRootNode() as ShadowRoot).host ?? null) {
    const lang = at.closest('[lang]')?.getAttribute('lang');
    if (lang) return lang;
  }
  return document.documentElement.lang || 'en';
}

/** `text` with each `{network}` filled in. */
export function fill(text: string, network: string): string {
  return text.split('{network}').join(network);
}
