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
import {
  ConfigError,
  choice,
  flag,
  got,
  intChoice,
  numeric,
  switches,
  type Param,
  type ValuesOf,
} from './spec';
import { TRAINING_PARAMS } from './training';
import { LESSONS } from '../lessons/lessons';

/** Lesson ids, in the Lessons tab's order. */
export const LESSON_IDS = LESSONS.map((l) => l.id);
/** The ids of every lesson's optional variants (`Variant.optional`), each once, in lesson order. */
export const LESSON_EXTRAS = [
  ...new Set(LESSONS.flatMap((l) => l.variants.filter((v) => v.optional).map((v) => v.id))),
];

/** Chapters of a lesson page. */
export const LESSON_CHAPTERS = 3;

/**
 * Panels teacher mode can hide (`hide=` in the URL, like TensorFlow Playground's): the page's
 * header, the tab bar, the views' introductions, the backend line, the hyperparameter form, the
 * figures row, the charts' captions, the save buttons.
 */
export const PANELS = [
  'header',
  'tabs',
  'intro',
  'backend',
  'hyperparameters',
  'figures',
  'captions',
  'exports',
] as const;

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

/**
 * Everything `hide=` may name: a panel ({@link PANELS}), a tab (`tab.funnel`), or a knob of
 * the training, serving or study tables or of the world (`negatives`, `funnelN`, `videos`).
 */
export const HIDEABLE = [
  ...PANELS,
  ...VIEWS.map((v) => `tab.${v}` as const),
  ...Object.keys(TRAINING_PARAMS),
  ...Object.keys(SERVING_PARAMS),
  ...Object.keys(STUDY_PARAMS),
  ...Object.keys(WORLD_PARAMS).filter((k) => k !== 'seed'),
  'seed',
];

/**
 * A row like `switches` for a long list of names (`hide=`): its range names the kinds of name
 * and the panels rather than every option, so a message stays short.
 */
function nameList(
  key: string,
  options: readonly string[],
  o: Omit<Param<Record<string, boolean>>, 'key' | 'kind' | 'range' | 'parse' | 'format'>,
): Param<Record<string, boolean>> {
  const base = switches(key, options, o);
  const range =
    'a comma list of knob keys, tab.<view> or panels (header, intro, captions…), or none';
  return {
    ...base,
    range,
    parse(raw) {
      try {
        return base.parse(raw);
      } catch {
        const bad = raw
          .split(',')
          .map((p) => p.trim())
          .find((p) => p && p !== 'none' && !options.includes(p));
        throw new ConfigError(key, `${key} must be ${range}${got(bad ?? raw)}`);
      }
    },
  };
}

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
  lesson: choice('lesson', LESSON_IDS, {
    default: LESSON_IDS[0],
    live: true,
    label: 'Lesson',
    help: 'the lesson open in the Lessons tab',
    flag: null,
  }),
  chapter: numeric('chapter', {
    min: 1,
    max: LESSON_CHAPTERS,
    integer: true,
    default: 1,
    live: true,
    label: 'Chapter',
    help: 'the chapter of the open lesson',
    flag: null,
  }),
  lessonSteps: numeric('lessonSteps', {
    min: 0,
    max: 100_000,
    integer: true,
    default: 0,
    live: true,
    label: 'Lesson steps',
    help: 'training steps of the open lesson’s Run (0: the lesson’s own)',
    flag: null,
  }),
  lessonRepeats: numeric('lessonRepeats', {
    min: 0,
    max: 20,
    integer: true,
    default: 0,
    live: true,
    label: 'Lesson repeats',
    help: 'repeats of the open lesson’s Run (0: the lesson’s own)',
    flag: null,
  }),
  lessonExtras: switches('lessonExtras', LESSON_EXTRAS, {
    default: Object.fromEntries(LESSON_EXTRAS.map((n) => [n, false])),
    live: true,
    label: 'Also run',
    help: 'the open lesson’s optional variants switched on for its Run (e.g. age-off,explore)',
    flag: null,
  }),
  present: flag('present', {
    default: false,
    live: true,
    label: 'Presentation',
    help: 'for a projector: larger type, no introductions or captions',
    flag: null,
  }),
  hide: nameList('hide', HIDEABLE, {
    default: Object.fromEntries(HIDEABLE.map((n) => [n, false])),
    live: true,
    label: 'Hidden',
    help: 'controls and panels hidden in teacher mode: a panel, tab.<view> or a knob key',
    flag: null,
  }),
};

/** Values of {@link PAGE_PARAMS}. */
export type PageSettings = ValuesOf<typeof PAGE_PARAMS>;
