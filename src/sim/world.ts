/**
 * Builds a whole world from its settings: catalogue, users, then the logs drawn from the
 * oracle. Pure and seeded: the same settings give the same arrays in Node and in a browser.
 */
import { buildTopicCentres, buildVideos, buildVocabulary, type Vocabulary } from './catalogue';
import { validateWorldConfig, type WorldMaxima } from './config';
import { buildUsers } from './population';
import { simulateLogs } from './sessions';
import type { World, WorldConfig } from './types';
import { TOPIC_NAMES } from './vocab-names';

/** Stage names reported through progress. */
export type WorldStage = 'catalogue' | 'users' | 'sessions' | 'done';

/** Progress of generation: overall fraction in [0, 1] and the current stage. */
export type WorldProgress = (fraction: number, stage: WorldStage) => void;

/**
 * The world without its logs (catalogue, users, names) and the vocabulary the logs draw from:
 * what every shard of users needs before it simulates its range. `logs` is left unset.
 * Throws `ConfigError` naming the field and range on a bad setting (`maxima` raises limits).
 */
export function generateWorldBase(
  settings: Partial<WorldConfig> = {},
  onProgress?: WorldProgress,
  maxima: WorldMaxima = {},
): { world: World; vocab: Vocabulary } {
  const config = validateWorldConfig(settings, maxima);
  onProgress?.(0, 'catalogue');
  const vocab = buildVocabulary(config.topics);
  const topicCentres = buildTopicCentres(config);
  const videos = buildVideos(config, vocab, topicCentres);
  onProgress?.(0.1, 'users');
  const users = buildUsers(config, topicCentres);
  onProgress?.(0.15, 'sessions');
  const world: World = {
    config,
    topicNames: TOPIC_NAMES.slice(0, config.topics),
    vocabulary: vocab.words,
    topicCentres,
    videos,
    users,
    logs: undefined as unknown as World['logs'],
  };
  return { world, vocab };
}

/**
 * Generates the world for `settings` (merged over the defaults and validated; throws
 * `ConfigError` naming the field and range on a bad value). Progress is reported from 0 to 1;
 * sessions take most of the time.
 */
export function generateWorld(
  settings: Partial<WorldConfig> = {},
  onProgress?: WorldProgress,
): World {
  const { world, vocab } = generateWorldBase(settings, onProgress);
  world.logs = simulateLogs(world, vocab, (f) => onProgress?.(0.15 + 0.85 * f, 'sessions'));
  onProgress?.(1, 'done');
  return world;
}

/** Title of video v as words. */
export function videoTitle(world: World, v: number): string {
  const { titleOffsets, titleTokens } = world.videos;
  const words: string[] = [];
  for (let i = titleOffsets[v]; i < titleOffsets[v + 1]; i++)
    words.push(world.vocabulary[titleTokens[i]]);
  return words.join(' ');
}
