export const memberRemovalEs = {
  'cs.cannotRemove': 'No se puede quitar a quien fundó la comunidad ni a ti.',
} as const;
