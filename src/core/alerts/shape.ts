import { ALERT_KINDS, FOLLOW_UP_ACTS, URGENCIES, type Alert, type AlertFollowUp, type AlertKind, type FollowUpAct, type Urgency } from './types.ts';
import { ALERT_AREA_MAX, ALERT_TEXT_MAX, textLength } from './rules.ts';

function obj(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 64;
}

export function isAlertShape(v: unknown): v is Alert {
  const a = obj(v);
  return (
    !!a && a.type === 'alert' && isId(a.id) && typeof a.author === 'string' && typeof a.sig === 'string' &&
    ALERT_KINDS.includes(a.kind as AlertKind) && URGENCIES.includes(a.urgency as Urgency) &&
    typeof a.area === 'string' && a.area.trim() !== '' && a.area.length <= ALERT_AREA_MAX &&
    typeof a.text === 'string' && a.text.trim() !== '' && textLength(a.text) <= ALERT_TEXT_MAX &&
    isTime(a.created) && isTime(a.expires)
  );
}

export function isFollowUpShape(v: unknown): v is AlertFollowUp {
  const f = obj(v);
  return (
    !!f && f.type === 'alert-follow-up' && isId(f.id) && isId(f.alert) && typeof f.author === 'string' && typeof f.sig === 'string' &&
    FOLLOW_UP_ACTS.includes(f.act as FollowUpAct) && isTime(f.created)
  );
}

export function idOf(v: unknown): string {
  const id = obj(v)?.id;
  return typeof id === 'string' ? id : '?';
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
