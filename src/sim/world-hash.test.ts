/**
 * The world is pinned bit for bit: every typed-array column of a few small worlds is hashed and
 * compared against hashes recorded from the generator before its speed-ups (commit 8a703fc).
 * A speed-up must not change a single draw; a deliberate change of the world (a new oracle
 * term, a new random stream) updates these hashes in the same commit and says so.
 */
import { describe, expect, it } from 'vitest';
import { buildVocabulary } from './catalogue';
import { simulateLogs } from './sessions';
import type { World, WorldConfig } from './types';
import { generateWorld } from './world';

/** FNV-1a (32-bit) over the bytes of a typed array, with its byte length in front. */
function hashBytes(a: ArrayBufferView): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return `${b.length}:${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/** `table.field` → hash, for every typed-array column and every number of the world. */
function worldHashes(w: World): Record<string, string> {
  const out: Record<string, string> = {};
  for (const table of ['videos', 'users', 'logs'] as const) {
    for (const [k, v] of Object.entries(w[table])) {
      if (ArrayBuffer.isView(v)) out[`${table}.${k}`] = hashBytes(v);
      else out[`${table}.${k}`] = String(v);
    }
  }
  out.topicCentres = hashBytes(w.topicCentres);
  out.vocabulary = hashBytes(new TextEncoder().encode(w.vocabulary.join('\n')));
  return out;
}

/**
 * The pinned worlds: the small test world; a busy one (heavy activity, so some users reach
 * the Poisson generator's large-rate branch and the 64-session day cap, and pools run dry);
 * and one with every search, few impressions and a short window.
 */
const WORLDS: Record<string, Partial<WorldConfig>> = {
  small: { seed: 5, videos: 2000, users: 400, days: 30 },
  busy: { seed: 11, videos: 600, users: 60, days: 14, sessionsPerDay: 12, seriesShare: 0.6 },
  searchy: {
    seed: 3,
    videos: 1500,
    users: 150,
    days: 9,
    searchRate: 1,
    impressionsPerSession: 4,
    catalogueShare: 0.1,
  },
};

/** Recorded from the generator at commit 8a703fc (before the speed-ups of issue 14). */
const PINNED: Record<string, Record<string, string>> = {
  small: {
    'videos.channel': '8000:0e3b6b8f',
    'videos.channels': '80',
    'videos.clickbait': '2000:417bac90',
    'videos.count': '2000',
    'videos.duration': '8000:798badcc',
    'videos.episode': '4000:d176234b',
    'videos.language': '2000:fffbf973',
    'videos.latent': '128000:220c9a78',
    'videos.nextEpisode': '8000:bac3d44f',
    'videos.popularity': '8000:f9f9b62d',
    'videos.quality': '8000:7be28b54',
    'videos.series': '8000:ab077567',
    'videos.titleOffsets': '8004:65e3ae84',
    'videos.titleTokens': '31884:c3d5cbc8',
    'videos.topic': '4000:bb109f5d',
    'videos.uploadTime': '8000:15de4a7f',
    'videos.viral': '8000:80bf8343',
    'users.activity': '1600:5f30ad3b',
    'users.ageBucket': '400:c4f8b4fb',
    'users.count': '400',
    'users.country': '400:125611e9',
    'users.device': '400:2235d49d',
    'users.gender': '400:1eeacb11',
    'users.interests': '80000:30e46fa9',
    'users.language': '400:366ebad6',
    'users.latent': '25600:26dfff6e',
    'users.loggedIn': '400:07d1f3fb',
    'logs.impClicked': '162933:23a3ebf4',
    'logs.impSource': '162933:d9500432',
    'logs.impVideo': '651732:8fe45885',
    'logs.impWatchMinutes': '651732:89cabeb5',
    'logs.impressions': '162933',
    'logs.searchTime': '20288:37398183',
    'logs.searchTokenOffsets': '20292:d43181a9',
    'logs.searchTokens': '40580:ef64065d',
    'logs.searches': '5072',
    'logs.sessionImpOffsets': '66780:c24c0453',
    'logs.sessionSearch': '66776:57d76c55',
    'logs.sessionTime': '66776:2fe2b174',
    'logs.sessionUser': '66776:614d9b23',
    'logs.sessions': '16694',
    'logs.userSearchOffsets': '1604:e0622ad0',
    'logs.userWatchOffsets': '1604:9a424042',
    'logs.watchImpression': '115876:326a5243',
    'logs.watchMinutes': '115876:f54b33b5',
    'logs.watchTime': '115876:80914f25',
    'logs.watchVideo': '115876:136cc918',
    'logs.watches': '28969',
    topicCentres: '3200:e7892457',
    vocabulary: '5858:c3f7f45a',
  },
  busy: {
    'videos.channel': '2400:cb72ff58',
    'videos.channels': '24',
    'videos.clickbait': '600:ef743b63',
    'videos.count': '600',
    'videos.duration': '2400:fdb42c3b',
    'videos.episode': '1200:13c4e8e3',
    'videos.language': '600:0609e04b',
    'videos.latent': '38400:c2165807',
    'videos.nextEpisode': '2400:0f5eb39e',
    'videos.popularity': '2400:fa8c72db',
    'videos.quality': '2400:7e96091c',
    'videos.series': '2400:8e61adc4',
    'videos.titleOffsets': '2404:d09d10a4',
    'videos.titleTokens': '9460:d06270f0',
    'videos.topic': '1200:5d5b1700',
    'videos.uploadTime': '2400:905d6fc0',
    'videos.viral': '2400:7b231b48',
    'users.activity': '240:defabc73',
    'users.ageBucket': '60:73c6cd81',
    'users.count': '60',
    'users.country': '60:dfd682f9',
    'users.device': '60:c7456d65',
    'users.gender': '60:fd7ef044',
    'users.interests': '12000:9530e0c2',
    'users.language': '60:265cdc75',
    'users.latent': '3840:f474b4e0',
    'users.loggedIn': '60:6ef0dfa9',
    'logs.impClicked': '82813:5271a2c5',
    'logs.impSource': '82813:5e701161',
    'logs.impVideo': '331252:c47e4cda',
    'logs.impWatchMinutes': '331252:86992f75',
    'logs.impressions': '82813',
    'logs.searchTime': '10432:01f3cc70',
    'logs.searchTokenOffsets': '10436:c88b71c1',
    'logs.searchTokens': '20948:c2b91e95',
    'logs.searches': '2608',
    'logs.sessionImpOffsets': '35440:9112b139',
    'logs.sessionSearch': '35436:0c167821',
    'logs.sessionTime': '35436:1c062250',
    'logs.sessionUser': '35436:5e347f42',
    'logs.sessions': '8859',
    'logs.userSearchOffsets': '244:ebdf4af0',
    'logs.userWatchOffsets': '244:e356180c',
    'logs.watchImpression': '30112:6d23bc38',
    'logs.watchMinutes': '30112:d5af4e55',
    'logs.watchTime': '30112:1c09a7bd',
    'logs.watchVideo': '30112:303a34eb',
    'logs.watches': '7528',
    topicCentres: '3200:27137a3d',
    vocabulary: '5858:c3f7f45a',
  },
  searchy: {
    'videos.channel': '6000:cc2ac9bf',
    'videos.channels': '60',
    'videos.clickbait': '1500:5d5c2130',
    'videos.count': '1500',
    'videos.duration': '6000:3067a560',
    'videos.episode': '3000:9ee77fd5',
    'videos.language': '1500:e597ba79',
    'videos.latent': '96000:1650c00b',
    'videos.nextEpisode': '6000:8b4085c7',
    'videos.popularity': '6000:33369a6c',
    'videos.quality': '6000:5b4ea392',
    'videos.series': '6000:f1a86e3c',
    'videos.titleOffsets': '6004:3855631f',
    'videos.titleTokens': '24044:2ab7eacf',
    'videos.topic': '3000:75f01f7d',
    'videos.uploadTime': '6000:10c1052b',
    'videos.viral': '6000:e92f3f7b',
    'users.activity': '600:5e8374a0',
    'users.ageBucket': '150:597f10d8',
    'users.count': '150',
    'users.country': '150:3213beed',
    'users.device': '150:08dcebd2',
    'users.gender': '150:45bcd138',
    'users.interests': '30000:c3e2cca7',
    'users.language': '150:3d9a1016',
    'users.latent': '9600:384510c7',
    'users.loggedIn': '150:d6d27b49',
    'logs.impClicked': '8311:1d20770f',
    'logs.impSource': '8311:5e85e2a0',
    'logs.impVideo': '33244:57b8e074',
    'logs.impWatchMinutes': '33244:437a92bc',
    'logs.impressions': '8311',
    'logs.searchTime': '8312:777a3ae6',
    'logs.searchTokenOffsets': '8316:2b1b5147',
    'logs.searchTokens': '16992:2d25b1cf',
    'logs.searches': '2078',
    'logs.sessionImpOffsets': '8316:53d6cec9',
    'logs.sessionSearch': '8312:e09c2124',
    'logs.sessionTime': '8312:777a3ae6',
    'logs.sessionUser': '8312:d28d8f06',
    'logs.sessions': '2078',
    'logs.userSearchOffsets': '604:98ae7e42',
    'logs.userWatchOffsets': '604:6973b03e',
    'logs.watchImpression': '6408:d1527df0',
    'logs.watchMinutes': '6408:87a0bd9c',
    'logs.watchTime': '6408:eb8b56b0',
    'logs.watchVideo': '6408:f917bd64',
    'logs.watches': '1602',
    topicCentres: '3200:a706a239',
    vocabulary: '5858:c3f7f45a',
  },
};

describe('generateWorld: pinned output', () => {
  for (const [name, settings] of Object.entries(WORLDS)) {
    it(`${name}: every column hashes as recorded`, () => {
      const got = worldHashes(generateWorld(settings));
      if (process.env.PRINT_WORLD_HASHES) console.log(name, JSON.stringify(got, null, 2));
      expect(got).toEqual(PINNED[name]);
    });
  }
});

describe('simulateLogs: shards of users', () => {
  it('gives the same logs bit for bit for 1, 2, 3 and 4 shards (and one user per shard)', () => {
    for (const name of ['small', 'busy'] as const) {
      const world = generateWorld(WORLDS[name]);
      const vocab = buildVocabulary(world.config.topics);
      for (const shards of [1, 2, 3, 4, world.users.count]) {
        const logs = simulateLogs(world, vocab, undefined, shards);
        const got = worldHashes({ ...world, logs });
        for (const [k, v] of Object.entries(PINNED[name]))
          if (k.startsWith('logs.')) expect(got[k], `${name}, ${shards} shards: ${k}`).toBe(v);
      }
    }
  });
});
