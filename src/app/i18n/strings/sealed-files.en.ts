/** Strings of the sealed-files change (files of members-only posts sealed to the members). */
export const sealedFilesEn = {
  'sealedFiles.locked': 'Only members can open this file.',
  'sealedFiles.lockedName': 'File for members',
  'sealedFiles.willSeal': 'Only vouched members will be able to open it. Community hubs carry it without being able to read it.',
  'sealedFiles.noKey': 'Files for members need the members’ key, and an organiser’s phone has not given it to you yet. Share it with everyone, or try again after an organiser opens the app.',
  'sealedFiles.damaged': 'This file could not be opened: it is damaged or was changed on the way.',
  'cs.organisers': 'Organisers',
  'cs.organisersHint': 'Organisers can change these settings, hand out the members’ key and keep the list of safe places. Name only people you know well.',
} as const;
