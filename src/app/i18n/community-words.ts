/**
 * Names the community chose, in the reader's language when they are still the app's defaults: a new
 * community's name, categories and areas start as English words the app wrote, not words anyone chose,
 * so they are translated until an organiser renames them. A name an organiser typed is shown as typed.
 */
import { DEFAULT_AREA_NAMES, DEFAULT_CATEGORY_NAMES, DEFAULT_COMMUNITY_NAME } from '../../core/model/community-settings.ts';
import { t } from './index.svelte.ts';

export function communityName(name: string): string {
  return name === DEFAULT_COMMUNITY_NAME ? t('community.defaultName') : name;
}

export function categoryName(id: string, name: string): string {
  return Object.hasOwn(DEFAULT_CATEGORY_NAMES, id) && DEFAULT_CATEGORY_NAMES[id] === name ? t(`category.${id}`) : name;
}

export function areaName(id: string, name: string): string {
  return Object.hasOwn(DEFAULT_AREA_NAMES, id) && DEFAULT_AREA_NAMES[id] === name ? t(`area.${id}`) : name;
}
