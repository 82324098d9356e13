export const removalKeysEs = {
  'rk.linkShared': 'Todas las personas que organizan pueden ver y compartir este enlace. Quien no organiza, no.',
  'rk.linkComing': 'El enlace de invitación actual está llegando desde el teléfono de otra persona que organiza. Aparecerá aquí cuando los dos teléfonos se hayan sincronizado.',
} as const;
