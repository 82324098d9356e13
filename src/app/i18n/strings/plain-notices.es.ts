/** Cadenas del cambio plain-notices: lo que el teléfono hizo o hará, dicho donde la persona actúa (issues 17, 18). */
export const plainNoticesEs = {
  'form.photoCleaned': 'Quitamos de esta foto la ubicación y los datos de la cámara, así no muestra dónde se tomó.',
  'messages.notifyTitle': 'Nuevo mensaje de {name}',
  'messages.notifyBody': 'Abre la app para leerlo.',
  'alerts.notifyWhy': 'Te avisaremos de nuevas alertas, mensajes y respuestas a tus publicaciones mientras usas otras apps. Solo lo muestra este teléfono: no se envía nada a ningún sitio.',
  'installPointer.text': 'Pon esta app en tu pantalla de inicio: se abre como tus otras apps, incluso sin internet.',
  'installPointer.later': 'También puedes hacerlo más tarde en Ajustes.',
  'installPointer.dismiss': 'Ahora no',
} as const;
