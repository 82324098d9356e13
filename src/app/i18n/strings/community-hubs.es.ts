/** Cadenas del cambio community-hubs: las personas organizadoras cuidan la lista de centros cuyos cambios cuentan. */
export const communityHubsEs = {
  'hubs.title': 'Centros de la comunidad',
  'hubs.hint': 'Lo que estos centros traen de otros lugares cuenta para todos. Cualquier otro centro solo puede llevar cosas, cerradas para que solo las personas a quienes van dirigidas puedan leerlas, y sin cambiarlas.',
  'hubs.this': 'Este centro (estás conectado a él)',
  'hubs.other': 'Otro centro: {words}',
  'hubs.none': 'No hay ningún centro en la lista: los cambios de otros lugares no cuentan.',
  'hubs.add': 'Añadir este centro a la lista',
  'hubs.added': 'Este centro ya está en la lista. Los demás centros lo sabrán cuando tu teléfono se conecte a ellos.',
  'hubs.remove': 'Quitar de la lista',
  'hubs.remove.confirm': '¿Quitar este centro de la lista? Hazlo si se perdió, se lo llevaron o se lo dieron a otras personas: lo que traiga dejará de contar en todos los demás centros. Lo que ya trajo se queda.',
  'hubs.remove.yes': 'Sí, quitarlo',
  'hubs.removed': 'Quitado de la lista.',
  'hubs.key': 'Clave del centro: {key}',
} as const;
