/**
 * The world is pinned bit for bit: every typed-array column of a few small worlds is hashed and
 * compared against hashes recorded from the generator before its speed-ups (commit 8a703fc).
 * A speed-up must not change a single draw; a deliberate change of the world (a new oracle
 * term, a new random stream) updates these hashes in the same commit and says so. A change of
 * layout alone (issue 14: source and clicked packed in `impFlags`, the impressions' minutes
 * read from their watches) is hashed through `logicalLogs`, against the same recorded hashes.
 */
import { describe, expect, it } from 'vitest';
import { buildVocabulary } from './catalogue';
import { simulateLogs } from './sessions';
import { IMP_SOURCE, impressionMinutes, type Logs, type World, type WorldConfig } from './types';
import { generateWorld } from './world';

/** FNV-1a (32-bit) over the bytes of a typed array, with its byte length in front. */
function hashBytes(a: ArrayBufferView): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return `${b.length}:${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * The logs' logical columns as they were recorded, read through the packed layout: `impFlags`
 * unpacked into the source (`impSource`, one byte) and the clicked bit (`impClicked`, 0 or 1),
 * and the minutes of each impression (`impWatchMinutes`, float32, 0 when not clicked) put back
 * from its watch. The recorded hashes of these three columns hold for the packed logs.
 */
function logicalLogs(l: Logs): Record<string, unknown> {
  const { impFlags, ...rest } = l;
  return {
    ...rest,
    impSource: impFlags.map((f) => f & IMP_SOURCE),
    impClicked: impFlags.map((f) => f >>> 7),
    impWatchMinutes: impressionMinutes(l),
  };
}

/** `table.field` → hash, for every typed-array column and every number of the world. */
function worldHashes(w: World): Record<string, string> {
  const out: Record<string, string> = {};
  for (const table of ['videos', 'users', 'logs'] as const) {
    const columns = table === 'logs' ? logicalLogs(w.logs) : w[table];
    for (const [k, v] of Object.entries(columns)) {
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
  plain: { seed: 2, videos: 800, users: 80, days: 10, languages: 1, demographicEffect: 0 },
};

/**
 * Recorded from the generator at commit 8a703fc (before the speed-ups of issue 14), then
 * re-recorded when the world gained languages that matter and demographics that matter
 * (issue 11: the `languages` and `demographicEffect` settings, the device's duration term of
 * the click logit, the legacy recommender's language; docs/model.md#demographics). `plain` pins
 * a world with both switched off.
 */
const PINNED: Record<string, Record<string, string>> = {
  small: {
    'videos.count': '2000',
    'videos.topic': '4000:bb109f5d',
    'videos.language': '2000:fffbf973',
    'videos.channel': '8000:0e3b6b8f',
    'videos.channels': '80',
    'videos.popularity': '8000:f9f9b62d',
    'videos.uploadTime': '8000:15de4a7f',
    'videos.duration': '8000:798badcc',
    'videos.quality': '8000:7be28b54',
    'videos.clickbait': '2000:417bac90',
    'videos.viral': '8000:80bf8343',
    'videos.series': '8000:ab077567',
    'videos.episode': '4000:d176234b',
    'videos.nextEpisode': '8000:bac3d44f',
    'videos.latent': '128000:220c9a78',
    'videos.titleOffsets': '8004:65e3ae84',
    'videos.titleTokens': '31884:c3d5cbc8',
    'users.count': '400',
    'users.ageBucket': '400:24ad8cac',
    'users.gender': '400:61ef8cf7',
    'users.country': '400:f9a0a836',
    'users.device': '400:c11ca65a',
    'users.loggedIn': '400:ec64e868',
    'users.language': '400:9cb9463c',
    'users.activity': '1600:24abac98',
    'users.interests': '80000:0cc4c567',
    'users.latent': '25600:b0006ee6',
    'logs.sessions': '17921',
    'logs.sessionUser': '71684:c5b4fb0a',
    'logs.sessionTime': '71684:ead09455',
    'logs.sessionSearch': '71684:e49f5e42',
    'logs.sessionImpOffsets': '71688:23f87cf6',
    'logs.impressions': '174870',
    'logs.impVideo': '699480:a408efaf',
    'logs.impSource': '174870:f30e9a1e',
    'logs.impClicked': '174870:d6c0d046',
    'logs.impWatchMinutes': '699480:5e402cb8',
    'logs.watches': '24299',
    'logs.userWatchOffsets': '1604:7a5bfb76',
    'logs.watchVideo': '97196:b703c410',
    'logs.watchTime': '97196:bfa78d03',
    'logs.watchMinutes': '97196:12af4568',
    'logs.watchImpression': '97196:04d49297',
    'logs.searches': '5347',
    'logs.userSearchOffsets': '1604:3745722c',
    'logs.searchTime': '21388:e9064b00',
    'logs.searchTokenOffsets': '21392:ea035422',
    'logs.searchTokens': '43064:d4f97645',
    topicCentres: '3200:e7892457',
    vocabulary: '5858:c3f7f45a',
  },
  busy: {
    'videos.count': '600',
    'videos.topic': '1200:5d5b1700',
    'videos.language': '600:0609e04b',
    'videos.channel': '2400:cb72ff58',
    'videos.channels': '24',
    'videos.popularity': '2400:fa8c72db',
    'videos.uploadTime': '2400:905d6fc0',
    'videos.duration': '2400:fdb42c3b',
    'videos.quality': '2400:7e96091c',
    'videos.clickbait': '600:ef743b63',
    'videos.viral': '2400:7b231b48',
    'videos.series': '2400:8e61adc4',
    'videos.episode': '1200:13c4e8e3',
    'videos.nextEpisode': '2400:0f5eb39e',
    'videos.latent': '38400:c2165807',
    'videos.titleOffsets': '2404:d09d10a4',
    'videos.titleTokens': '9460:d06270f0',
    'users.count': '60',
    'users.ageBucket': '60:77f679f6',
    'users.gender': '60:9931fd4a',
    'users.country': '60:0c3015dc',
    'users.device': '60:be05f7dd',
    'users.loggedIn': '60:6058a370',
    'users.language': '60:908f41fb',
    'users.activity': '240:e38da225',
    'users.interests': '12000:62c13c92',
    'users.latent': '3840:c9e2aa15',
    'logs.sessions': '7045',
    'logs.sessionUser': '28180:b2c1c166',
    'logs.sessionTime': '28180:5804301a',
    'logs.sessionSearch': '28180:cd91a650',
    'logs.sessionImpOffsets': '28184:dfd95dec',
    'logs.impressions': '68842',
    'logs.impVideo': '275368:63afd5a7',
    'logs.impSource': '68842:d0714228',
    'logs.impClicked': '68842:810184d4',
    'logs.impWatchMinutes': '275368:9424713c',
    'logs.watches': '4733',
    'logs.userWatchOffsets': '244:ba3a9e6e',
    'logs.watchVideo': '18932:51821293',
    'logs.watchTime': '18932:028ca06a',
    'logs.watchMinutes': '18932:3eb139fc',
    'logs.watchImpression': '18932:4b8ce6cc',
    'logs.searches': '2034',
    'logs.userSearchOffsets': '244:ef4f2982',
    'logs.searchTime': '8136:64736e0e',
    'logs.searchTokenOffsets': '8140:ce7d01bb',
    'logs.searchTokens': '16240:134c4553',
    topicCentres: '3200:27137a3d',
    vocabulary: '5858:c3f7f45a',
  },
  searchy: {
    'videos.count': '1500',
    'videos.topic': '3000:75f01f7d',
    'videos.language': '1500:e597ba79',
    'videos.channel': '6000:cc2ac9bf',
    'videos.channels': '60',
    'videos.popularity': '6000:33369a6c',
    'videos.uploadTime': '6000:10c1052b',
    'videos.duration': '6000:3067a560',
    'videos.quality': '6000:5b4ea392',
    'videos.clickbait': '1500:5d5c2130',
    'videos.viral': '6000:e92f3f7b',
    'videos.series': '6000:f1a86e3c',
    'videos.episode': '3000:9ee77fd5',
    'videos.nextEpisode': '6000:8b4085c7',
    'videos.latent': '96000:1650c00b',
    'videos.titleOffsets': '6004:3855631f',
    'videos.titleTokens': '24044:2ab7eacf',
    'users.count': '150',
    'users.ageBucket': '150:513d1460',
    'users.gender': '150:e1347272',
    'users.country': '150:f79f2eee',
    'users.device': '150:9858c4c7',
    'users.loggedIn': '150:67c6c4a2',
    'users.language': '150:f6f986ca',
    'users.activity': '600:0210a656',
    'users.interests': '30000:22c98bc3',
    'users.latent': '9600:d46770ae',
    'logs.sessions': '2253',
    'logs.sessionUser': '9012:3f4e5035',
    'logs.sessionTime': '9012:2d09632a',
    'logs.sessionSearch': '9012:b7e6b261',
    'logs.sessionImpOffsets': '9016:899c59bd',
    'logs.impressions': '9006',
    'logs.impVideo': '36024:f2cdd9ae',
    'logs.impSource': '9006:0b9d8253',
    'logs.impClicked': '9006:0775663c',
    'logs.impWatchMinutes': '36024:3d475c4a',
    'logs.watches': '1457',
    'logs.userWatchOffsets': '604:670acacc',
    'logs.watchVideo': '5828:5fdcb781',
    'logs.watchTime': '5828:0b489ba6',
    'logs.watchMinutes': '5828:2d11351a',
    'logs.watchImpression': '5828:38622cf5',
    'logs.searches': '2253',
    'logs.userSearchOffsets': '604:7a2b064c',
    'logs.searchTime': '9012:2d09632a',
    'logs.searchTokenOffsets': '9016:4338ef75',
    'logs.searchTokens': '17976:55c648ca',
    topicCentres: '3200:a706a239',
    vocabulary: '5858:c3f7f45a',
  },
  plain: {
    'videos.count': '800',
    'videos.topic': '1600:9659e286',
    'videos.language': '800:47a88045',
    'videos.channel': '3200:280b0955',
    'videos.channels': '32',
    'videos.popularity': '3200:bcccb48d',
    'videos.uploadTime': '3200:f6b9fab1',
    'videos.duration': '3200:63c68d77',
    'videos.quality': '3200:e3c260c9',
    'videos.clickbait': '800:8b3e86d9',
    'videos.viral': '3200:cc574fa3',
    'videos.series': '3200:946c7903',
    'videos.episode': '1600:f8f35457',
    'videos.nextEpisode': '3200:bc5b2ecf',
    'videos.latent': '51200:966e5318',
    'videos.titleOffsets': '3204:00c2717d',
    'videos.titleTokens': '12912:df30cad4',
    'users.count': '80',
    'users.ageBucket': '80:fc89671d',
    'users.gender': '80:6f737d63',
    'users.country': '80:9080f6fb',
    'users.device': '80:ec6786a5',
    'users.loggedIn': '80:d1baa674',
    'users.language': '80:c1b82605',
    'users.activity': '320:eb9216f9',
    'users.interests': '16000:08e45325',
    'users.latent': '5120:09427558',
    'logs.sessions': '1186',
    'logs.sessionUser': '4744:05c8a819',
    'logs.sessionTime': '4744:603d2720',
    'logs.sessionSearch': '4744:c0431256',
    'logs.sessionImpOffsets': '4748:991aa465',
    'logs.impressions': '11728',
    'logs.impVideo': '46912:b0affa47',
    'logs.impSource': '11728:91640a2f',
    'logs.impClicked': '11728:d790853b',
    'logs.impWatchMinutes': '46912:2f227e00',
    'logs.watches': '2864',
    'logs.userWatchOffsets': '324:b19d93cf',
    'logs.watchVideo': '11456:0d6043da',
    'logs.watchTime': '11456:cc9578ae',
    'logs.watchMinutes': '11456:5a52e1b0',
    'logs.watchImpression': '11456:49781552',
    'logs.searches': '349',
    'logs.userSearchOffsets': '324:6a200273',
    'logs.searchTime': '1396:a4c5a974',
    'logs.searchTokenOffsets': '1400:4da7000b',
    'logs.searchTokens': '2788:9c3a08d6',
    topicCentres: '3200:9989e019',
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
