// Every word the public pages show, per page language: the one place to change or add a text.
import type { PageLanguage } from '../language.js';
import { en } from './en.js';
import { es } from './es.js';

/** The words of one language, shaped as the English ones. */
export type Words = typeof en;

export const WORDS: Readonly<Record<PageLanguage, Words>> = { en, es };
