import type { phoneLayoutEn } from './phone-layout.en.ts';

/** Cadenas de la disposición para teléfono: pestañas de abajo, tarjetas de publicaciones, el tablón. */
export const phoneLayoutEs: Record<keyof typeof phoneLayoutEn, string> = {
  'nav.post': 'Publicar',
  'nav.postChoose': '¿Qué quieres publicar?',
  'nav.more': 'Más',
  'nav.noticeboard': 'Tablón',
  'nav.unread': '{n} sin leer',
  'nav.unread.one': '{n} sin leer',
  'nav.newAlerts': '{n} alertas activas',
  'nav.newAlerts.one': '{n} alerta activa',
  'card.by': 'De {name}',
  'card.audience.public': 'Todos',
  'card.audience.trusted': 'Solo miembros',
  'card.audience.local': 'Esta comunidad',
  'card.audience.private': 'Privado',
  'card.photo': 'Foto',
  'print.noticeboard.gate': 'Imprimir el tablón es para miembros avalados. Pide a alguien que te conozca que te avale.',
};
