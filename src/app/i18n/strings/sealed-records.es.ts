/** Textos del cambio sealed-records (alertas cifradas para los miembros). */
export const sealedRecordsEs = {
  'alerts.waitingForKey': 'Las alertas van cifradas para que solo los miembros puedan leerlas. La tuya saldrá en cuanto el teléfono de una persona organizadora te haya compartido la llave de los miembros.',
} as const;
