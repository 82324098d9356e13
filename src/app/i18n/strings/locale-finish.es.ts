import type { localeFinishEn } from './locale-finish.en.ts';

/** Cadenas del campo de fecha propio de la app y de la descripción de la app instalada (el manifiesto). */
export const localeFinishEs: Record<keyof typeof localeFinishEn, string> = {
  'date.day': 'Día',
  'date.month': 'Mes',
  'date.year': 'Año',
  'date.error.incomplete': 'Elige el día, el mes y el año, o deja los tres vacíos.',
  'date.error.year': 'Escribe el año con cuatro cifras, por ejemplo 2027.',
  'date.error.noSuchDay': 'Ese mes no tiene ese día. Elige otro día.',
  'manifest.name': 'Solarpunk Mesh',
  'manifest.shortName': 'Mesh',
  'manifest.description': 'Ayuda mutua que funciona sin internet: comparte lo que puedas, pide lo que necesites.',
};
