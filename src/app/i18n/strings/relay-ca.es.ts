/** Textos del cambio relay-ca: el enlace a la página para instalar el certificado del centro de la comunidad. */
export const relayCaEs = {
  'install.caLink': 'Haz que este teléfono confíe en el centro de la comunidad (así la app funciona sin conexión)',
} as const;
