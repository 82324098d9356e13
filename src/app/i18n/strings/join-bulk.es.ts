/** Cadenas del trabajo join-bulk: la línea de progreso mientras el teléfono de alguien nuevo recibe las publicaciones. */
export const joinBulkEs = {
  'browse.intake': '{done} de {total} publicaciones cargadas',
} as const;
