export const memberRemovalEn = {
  'cs.cannotRemove': 'The founder and you yourself cannot be removed.',
} as const;
