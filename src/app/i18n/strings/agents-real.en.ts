import { THEME_WORDS } from '../../../../agents/lib/theme-words.ts';

/** Strings of the agents-real work: the names of the learning circles' themes, from the agents' own table. */
export const agentsRealEn = THEME_WORDS;
