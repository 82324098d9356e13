/** Rapid response: signed alerts, follow-ups, trust gate, abuse limits, DTN priority. */
export * from './types.ts';
export * from './errors.ts';
export * from './rules.ts';
export { isAlertShape, isFollowUpShape } from './shape.ts';
export { createAlert, createFollowUp, type AlertInput, type Random } from './create.ts';
export { acceptAlerts, type AlertRejection } from './accept.ts';
export { alertState, type AlertState, type FollowUpRejection } from './state.ts';
export { alertBoard, type ShownAlert } from './board.ts';
export { earnsEmergency } from './emergency.ts';
export { ALERT_AUDIENCE, ALERT_PRIORITY, alertBundleMeta, alertEndpoint, followUpBundleMeta, shouldForward, type AlertBundleMeta } from './dtn.ts';
export {
  ALERT_SEALED_AUDIENCE,
  isCarriedShape,
  isSealedAlertShape,
  isSealedFollowUpShape,
  openAlertRecord,
  sealAlertRecord,
  type CarriedAlertRecord,
  type OpenAlertFailure,
  type OpenedAlertRecord,
  type SealedAlert,
  type SealedFollowUp,
} from './sealed.ts';
