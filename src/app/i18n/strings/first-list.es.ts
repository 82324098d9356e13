/** Cadenas del cambio first-list: la lista muestra su primera página antes de contar todas las publicaciones (issues 17, 18). */
export const firstListEs = {
  'browse.countPending': 'Mostrando las {shown} más recientes',
} as const;
