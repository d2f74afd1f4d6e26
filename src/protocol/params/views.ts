/**
 * The knobs of the views: serving (the Funnel view's N, k and the IVF index's nprobe), the
 * Sampled-softmax view's study (its own sampler, K, α and logQ; training is not changed), and
 * the page's own choices (the open tab, the user the views follow, the Embedding view's colour
 * and layout). All are in the URL; serving and study knobs are checked by the worker too.
 */
import {
  COLOR_BYS,
  FUNNEL_K_MAX,
  FUNNEL_NS,
  LAYOUTS,
  MAX_NEGATIVES,
  MAX_NPROBE,
  STUDY_SAMPLERS,
  VIEWS,
  type ColorBy,
  type Layout,
  type StudySampler,
  type View,
} from './enums';
import { WORLD_PARAMS } from '../../sim/config';
import { choice, flag, intChoice, numeric, type ValuesOf } from './spec';

/** The Funnel view's serving knobs (each answer is computed with them). */
export const SERVING_PARAMS = {
  funnelN: intChoice('funnelN', FUNNEL_NS, {
    default: 100,
    live: true,
    label: 'N retrieved',
    help: 'videos the candidate generator retrieves for the ranker',
    flag: null,
  }),
  funnelK: numeric('funnelK', {
    min: 1,
    max: FUNNEL_K_MAX,
    integer: true,
    default: 10,
    live: true,
    label: 'k shown',
    help: 'videos the ranker shows, the best k of the N',
    flag: null,
  }),
  nprobe: numeric('nprobe', {
    min: 1,
    max: MAX_NPROBE,
    integer: true,
    default: 8,
    live: true,
    label: 'IVF nprobe',
    help: 'lists of the IVF index a query opens: more is slower and closer to the exact scan',
    flag: null,
  }),
};

/** Values of {@link SERVING_PARAMS}. */
export type ServingSettings = ValuesOf<typeof SERVING_PARAMS>;

/** The Sampled-softmax view's study: what it estimates sampled softmax's bias with. */
export const STUDY_PARAMS = {
  studySampler: choice<StudySampler>('studySampler', STUDY_SAMPLERS, {
    default: 'popularity',
    live: true,
    label: 'Sampler',
    help: 'the sampler studied (the run’s own until chosen; training is not changed)',
    flag: null,
  }),
  studyNegatives: numeric('studyNegatives', {
    min: 1,
    max: MAX_NEGATIVES,
    integer: true,
    default: 256,
    live: true,
    label: 'Negatives K',
    help: 'sampled negatives of the study',
    flag: null,
  }),
  studyAlpha: numeric('studyAlpha', {
    min: 0,
    max: 2,
    integer: false,
    default: 0.75,
    live: true,
    label: 'Popularity α',
    help: 'exponent of the studied popularity sampler',
    flag: null,
  }),
  studyLogQ: flag('studyLogQ', {
    default: true,
    live: true,
    label: 'logQ correction',
    help: 'whether the study subtracts log q from each logit',
    flag: null,
  }),
};

/** Values of {@link STUDY_PARAMS}. */
export type StudySettings = ValuesOf<typeof STUDY_PARAMS>;

/** The page's own choices. */
export const PAGE_PARAMS = {
  view: choice<View>('view', VIEWS, {
    default: 'world',
    live: true,
    label: 'Tab',
    help: 'the open tab',
    flag: null,
  }),
  focusUser: numeric('focusUser', {
    min: 0,
    max: WORLD_PARAMS.users.max - 1,
    integer: true,
    default: 0,
    live: true,
    label: 'User',
    help: 'the user the views follow (unset: the first user with a held-out next watch)',
    flag: null,
  }),
  colorBy: choice<ColorBy>('colorBy', COLOR_BYS, {
    default: 'topic',
    live: true,
    label: 'Colour by',
    help: 'what the Embedding view colours the videos by',
    flag: null,
  }),
  layout: choice<Layout>('layout', LAYOUTS, {
    default: 'pca',
    live: true,
    label: 'Layout',
    help: 'the Embedding view’s layout: live PCA, or UMAP computed on demand',
    flag: null,
  }),
};

/** Values of {@link PAGE_PARAMS}. */
export type PageSettings = ValuesOf<typeof PAGE_PARAMS>;
