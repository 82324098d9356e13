/** Textos del cambio sealed-more (notas de aval y decisiones cifradas para los miembros). */
export const sealedMoreEs = {
  'sealedMore.noteSealed': 'Solo los miembros pueden leer esta nota.',
  'sealedMore.notePending': 'Se guarda en este teléfono hasta que el teléfono de una persona organizadora te comparta la llave de los miembros; después solo los miembros podrán leerla.',
  'sealedMore.decisionsSealed': 'Las decisiones son solo para miembros avalados. Las verás aquí cuando alguien de la comunidad te avale y el teléfono de una persona organizadora te comparta la llave de los miembros.',
  'sealedMore.decisionNoKey': 'Las decisiones solo se comparten con miembros avalados y tu teléfono aún no tiene la llave de los miembros. Pide a alguien de la comunidad que te avale y vuelve a intentarlo.',
} as const;
