/** Textos del cambio sealed-files (archivos de publicaciones solo para miembros, sellados para los miembros). */
export const sealedFilesEs = {
  'sealedFiles.locked': 'Solo los miembros pueden abrir este archivo.',
  'sealedFiles.lockedName': 'Archivo para miembros',
  'sealedFiles.willSeal': 'Solo los miembros avalados podrán abrirlo. Los centros de la comunidad lo llevan sin poder leerlo.',
  'sealedFiles.noKey': 'Los archivos para miembros necesitan la llave de los miembros, y el teléfono de una persona organizadora todavía no te la ha dado. Compártelo con todo el mundo, o vuelve a intentarlo cuando una persona organizadora abra la aplicación.',
  'sealedFiles.damaged': 'No se pudo abrir este archivo: está dañado o fue cambiado por el camino.',
  'cs.organisers': 'Personas organizadoras',
  'cs.organisersHint': 'Las personas organizadoras pueden cambiar estos ajustes, dar la llave de los miembros y cuidar la lista de lugares seguros. Nombra solo a personas que conoces bien.',
} as const;
