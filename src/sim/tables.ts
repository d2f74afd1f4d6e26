/**
 * The world as tables (docs/scale-out.md#tables): the columns a shard writes, each read lazily
 * by row so that a writer can take them a row group at a time. Keys are shard-independent
 * (a session is `(user, session)` with `session` its index among the user's sessions, an
 * impression `(user, session, position)`, a watch `(user, watch)`), so the same world written
 * as 1 or 16 shards gives the same rows. Pure TypeScript: no file system, no tfjs.
 */
import {
  buildCandidateExamples,
  defaultCandidateOptions,
  type CandidateExamples,
  type Split,
} from './examples';
import type { ShardWorld } from './shard';
import { IMP_SOURCE, ImpressionSource, impressionMinutes, type World } from './types';
import { AGE_BUCKETS, COUNTRIES, DEVICES, LANGUAGES } from './vocab-names';
import { videoTitle } from './world';

/**
 * A column: its name, a short meaning with units, and its values by row. `int32` and `float`
 * hold typed arrays (a row group is a subarray), `bool` 0/1 bytes, `string` and `int32list` a
 * function of the row (called once per row when written).
 */
export type Column =
  | { name: string; doc: string; kind: 'int32'; data: Int32Array }
  | { name: string; doc: string; kind: 'float'; data: Float32Array }
  | { name: string; doc: string; kind: 'bool'; data: Uint8Array }
  | { name: string; doc: string; kind: 'string'; at: (row: number) => string }
  | { name: string; doc: string; kind: 'int32list'; at: (row: number) => Int32Array };

/** A table: its name (the folder of its shards), its row count and its columns. */
export interface Table {
  name: string;
  rows: number;
  columns: Column[];
}

const SOURCE_NAMES: string[] = [];
for (const [k, v] of Object.entries(ImpressionSource))
  SOURCE_NAMES[v] = k.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** The catalogue: one row per video (the same in every shard; written once). */
export function videoTable(world: World): Table {
  const v = world.videos;
  const ids = new Int32Array(v.count);
  for (let i = 0; i < v.count; i++) ids[i] = i;
  return {
    name: 'videos',
    rows: v.count,
    columns: [
      { name: 'video', doc: 'video id, 0 … videos−1', kind: 'int32', data: ids },
      {
        name: 'title',
        doc: 'title words, space-separated',
        kind: 'string',
        at: (i) => videoTitle(world, i),
      },
      { name: 'topic', doc: 'topic name', kind: 'string', at: (i) => world.topicNames[v.topic[i]] },
      {
        name: 'language',
        doc: 'language code',
        kind: 'string',
        at: (i) => LANGUAGES[v.language[i]],
      },
      { name: 'channel', doc: 'channel id', kind: 'int32', data: v.channel },
      {
        name: 'popularity',
        doc: 'base popularity (Zipf), sums to 1',
        kind: 'float',
        data: v.popularity,
      },
      {
        name: 'upload_day',
        doc: 'upload time, days (negative: before the window)',
        kind: 'float',
        data: v.uploadTime,
      },
      { name: 'duration_min', doc: 'length, minutes', kind: 'float', data: v.duration },
      { name: 'quality', doc: 'production quality in [0, 1]', kind: 'float', data: v.quality },
      { name: 'clickbait', doc: 'clicked more, watched less', kind: 'bool', data: v.clickbait },
      {
        name: 'series',
        doc: 'series id, −1 for a stand-alone video',
        kind: 'int32',
        data: v.series,
      },
      {
        name: 'episode',
        doc: 'episode number in its series (0-based), −1 if none',
        kind: 'int32',
        data: Int32Array.from(v.episode),
      },
    ],
  };
}

/** The shard's users, one row each. */
function userTable(sw: ShardWorld): Table {
  const u = sw.world.users;
  const { from, to } = sw;
  const ids = new Int32Array(to - from);
  for (let i = 0; i < ids.length; i++) ids[i] = from + i;
  const sub = <T extends Uint8Array | Float32Array>(a: T): T => a.subarray(from, to) as T;
  return {
    name: 'users',
    rows: to - from,
    columns: [
      { name: 'user', doc: 'user id, 0 … users−1', kind: 'int32', data: ids },
      {
        name: 'age',
        doc: 'age bucket',
        kind: 'string',
        at: (r) => AGE_BUCKETS[u.ageBucket[from + r]],
      },
      { name: 'gender', doc: '0 or 1', kind: 'int32', data: Int32Array.from(sub(u.gender)) },
      {
        name: 'country',
        doc: 'country',
        kind: 'string',
        at: (r) => COUNTRIES[u.country[from + r]],
      },
      { name: 'device', doc: 'device', kind: 'string', at: (r) => DEVICES[u.device[from + r]] },
      { name: 'logged_in', doc: 'logged in', kind: 'bool', data: sub(u.loggedIn) },
      {
        name: 'language',
        doc: 'preferred language code',
        kind: 'string',
        at: (r) => LANGUAGES[u.language[from + r]],
      },
      {
        name: 'activity',
        doc: 'mean sessions per day',
        kind: 'float',
        data: sub(u.activity),
      },
    ],
  };
}

/** Per local session: its index among its user's sessions; per impression: its session. */
function sessionIndexes(world: World): { sessionOfUser: Int32Array; impSession: Int32Array } {
  const L = world.logs;
  const sessionOfUser = new Int32Array(L.sessions);
  const impSession = new Int32Array(L.impressions);
  for (let s = 0, k = 0; s < L.sessions; s++) {
    k = s > 0 && L.sessionUser[s] === L.sessionUser[s - 1] ? k + 1 : 0;
    sessionOfUser[s] = k;
    impSession.fill(s, L.sessionImpOffsets[s], L.sessionImpOffsets[s + 1]);
  }
  return { sessionOfUser, impSession };
}

/** User of each local watch or search, from the user's CSR offsets (padded to all users). */
function ownerOf(offsets: Int32Array, count: number, from: number, to: number): Int32Array {
  const out = new Int32Array(count);
  for (let u = from; u < to; u++) out.fill(u, offsets[u], offsets[u + 1]);
  return out;
}

/** The shard's sessions, impressions, watches and searches. */
function logTables(sw: ShardWorld): Table[] {
  const { world, from, to } = sw;
  const L = world.logs;
  const { sessionOfUser, impSession } = sessionIndexes(world);
  const watchUser = ownerOf(L.userWatchOffsets, L.watches, from, to);
  const searchUser = ownerOf(L.userSearchOffsets, L.searches, from, to);
  const impUser = new Int32Array(L.impressions);
  const impSessionOfUser = new Int32Array(L.impressions);
  const impPosition = new Int32Array(L.impressions);
  const impClicked = new Uint8Array(L.impressions);
  for (let i = 0; i < L.impressions; i++) {
    const s = impSession[i];
    impUser[i] = L.sessionUser[s];
    impSessionOfUser[i] = sessionOfUser[s];
    impPosition[i] = i - L.sessionImpOffsets[s];
    impClicked[i] = L.impFlags[i] >>> 7;
  }
  const sessionSearch = new Int32Array(L.sessions);
  const sessionImps = new Int32Array(L.sessions);
  for (let s = 0; s < L.sessions; s++) {
    const q = L.sessionSearch[s];
    sessionSearch[s] = q < 0 ? -1 : q - L.userSearchOffsets[L.sessionUser[s]];
    sessionImps[s] = L.sessionImpOffsets[s + 1] - L.sessionImpOffsets[s];
  }
  const watchIndex = new Int32Array(L.watches);
  const watchSession = new Int32Array(L.watches);
  const watchPosition = new Int32Array(L.watches);
  for (let w = 0; w < L.watches; w++) {
    watchIndex[w] = w - L.userWatchOffsets[watchUser[w]];
    watchSession[w] = impSessionOfUser[L.watchImpression[w]];
    watchPosition[w] = impPosition[L.watchImpression[w]];
  }
  const searchIndex = new Int32Array(L.searches);
  for (let q = 0; q < L.searches; q++) searchIndex[q] = q - L.userSearchOffsets[searchUser[q]];
  const words = world.vocabulary;
  const query = (q: number): string => {
    const out: string[] = [];
    for (let j = L.searchTokenOffsets[q]; j < L.searchTokenOffsets[q + 1]; j++)
      out.push(words[L.searchTokens[j]]);
    return out.join(' ');
  };
  const user = { name: 'user', doc: 'user id', kind: 'int32' } as const;
  const session = {
    name: 'session',
    doc: "index among the user's sessions",
    kind: 'int32',
  } as const;
  return [
    {
      name: 'sessions',
      rows: L.sessions,
      columns: [
        { ...user, data: L.sessionUser },
        { ...session, data: sessionOfUser },
        { name: 'time_day', doc: 'start, days', kind: 'float', data: L.sessionTime },
        {
          name: 'search',
          doc: "the search that opened it (index among the user's searches), −1 if none",
          kind: 'int32',
          data: sessionSearch,
        },
        { name: 'impressions', doc: 'impressions shown', kind: 'int32', data: sessionImps },
      ],
    },
    {
      name: 'impressions',
      rows: L.impressions,
      columns: [
        { ...user, data: impUser },
        { ...session, data: impSessionOfUser },
        { name: 'position', doc: 'slot in the session, 0-based', kind: 'int32', data: impPosition },
        { name: 'video', doc: 'video shown', kind: 'int32', data: L.impVideo },
        {
          name: 'source',
          doc: 'why it was shown: ' + SOURCE_NAMES.join(', '),
          kind: 'string',
          at: (i) => SOURCE_NAMES[L.impFlags[i] & IMP_SOURCE],
        },
        { name: 'clicked', doc: 'clicked (a watch)', kind: 'bool', data: impClicked },
        {
          name: 'watch_minutes',
          doc: 'minutes watched, 0 if not clicked',
          kind: 'float',
          data: impressionMinutes(L),
        },
      ],
    },
    {
      name: 'watches',
      rows: L.watches,
      columns: [
        { ...user, data: watchUser },
        {
          name: 'watch',
          doc: "index among the user's watches (time order)",
          kind: 'int32',
          data: watchIndex,
        },
        { name: 'video', doc: 'video watched', kind: 'int32', data: L.watchVideo },
        { name: 'time_day', doc: 'start, days', kind: 'float', data: L.watchTime },
        { name: 'minutes', doc: 'minutes watched', kind: 'float', data: L.watchMinutes },
        { ...session, doc: 'session of the impression it came from', data: watchSession },
        { name: 'position', doc: 'slot of that impression', kind: 'int32', data: watchPosition },
      ],
    },
    {
      name: 'searches',
      rows: L.searches,
      columns: [
        { ...user, data: searchUser },
        {
          name: 'search',
          doc: "index among the user's searches",
          kind: 'int32',
          data: searchIndex,
        },
        { name: 'time_day', doc: 'time, days', kind: 'float', data: L.searchTime },
        { name: 'query', doc: 'query words, space-separated', kind: 'string', at: query },
      ],
    },
  ];
}

/**
 * Candidate-generation examples of both splits: one per watch (next-watch label, no per-user
 * cap: a trainer subsamples per user itself). The watch bag is a range of the user's watches
 * and the search bag the user's searches before an index, as the models store them, rather than
 * lists: a list column would repeat each watch up to 50 times and write ~10× slower
 * (docs/scale-out.md#examples shows the join that expands them).
 */
function exampleTable(sw: ShardWorld): Table {
  const { world } = sw;
  const L = world.logs;
  const [train, test] = (['train', 'test'] as Split[]).map((split) =>
    buildCandidateExamples(world, { split, perUserCap: 0 }),
  );
  const rows = train.count + test.count;
  const int = (f: (ex: CandidateExamples, i: number) => number): Int32Array => {
    const out = new Int32Array(rows);
    for (let i = 0; i < train.count; i++) out[i] = f(train, i);
    for (let i = 0; i < test.count; i++) out[train.count + i] = f(test, i);
    return out;
  };
  const float = (a: Float32Array, b: Float32Array): Float32Array => {
    const out = new Float32Array(rows);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  const first = (ex: CandidateExamples, i: number) => L.userWatchOffsets[ex.user[i]];
  return {
    name: 'examples',
    rows,
    columns: [
      {
        name: 'split',
        doc: "'train' (label before splitDay) or 'test'",
        kind: 'string',
        at: (i) => (i < train.count ? 'train' : 'test'),
      },
      { name: 'user', doc: 'user id', kind: 'int32', data: int((ex, i) => ex.user[i]) },
      {
        name: 'label',
        doc: 'the next watch (video id)',
        kind: 'int32',
        data: int((ex, i) => ex.label[i]),
      },
      {
        name: 'watch',
        doc: "the label's index among the user's watches",
        kind: 'int32',
        data: int((ex, i) => ex.labelWatch[i] - first(ex, i)),
      },
      {
        name: 'time_day',
        doc: "the label's time, days",
        kind: 'float',
        data: float(train.time, test.time),
      },
      {
        name: 'example_age_days',
        doc: 'splitDay − time for training rows, 0 for test rows (serving)',
        kind: 'float',
        data: float(train.exampleAge, test.exampleAge),
      },
      {
        name: 'bag_from',
        doc: `watch bag: the user's watches with index in [bag_from, watch), the newest ${defaultCandidateOptions.maxWatches} before the label`,
        kind: 'int32',
        data: int((ex, i) => ex.bagStart[i] - first(ex, i)),
      },
      {
        name: 'search_until',
        doc: "search bag: the user's searches with index < search_until",
        kind: 'int32',
        data: int((ex, i) => ex.searchEnd[i] - L.userSearchOffsets[ex.user[i]]),
      },
    ],
  };
}

/** Every table of one shard (users, sessions, impressions, watches, searches, examples). */
export function shardTables(sw: ShardWorld): Table[] {
  return [userTable(sw), ...logTables(sw), exampleTable(sw)];
}
