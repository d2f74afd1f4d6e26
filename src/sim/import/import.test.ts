import { describe, expect, it } from 'vitest';
import { buildCandidateExamples } from '../examples';
import { worldFromInteractions, HELD_OUT_SHARE } from './data-world';
import { generateFixture, toGenericCsv, toMl100k, toMovieLensCsv, withBadLine } from './fixtures';
import { DATA_LIMITS, DataError, checkFileSizes, detectFormat } from './formats';
import { parseDataFiles, type DataFile } from './parse';

const file = (name: string, text: string): DataFile => ({ name, size: text.length, content: text });
const small = generateFixture({ users: 60, items: 80, ratings: 1500 });

async function failure(p: Promise<unknown>): Promise<DataError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('parsing own data', () => {
  it('reads the three formats into the same interactions', async () => {
    const ml = toMovieLensCsv(small);
    const k = toMl100k(small);
    const a = await parseDataFiles([
      file('movies.csv', ml.movies),
      file('ratings.csv', ml.ratings),
    ]);
    const b = await parseDataFiles([file('u.data', k.data), file('u.item', k.item)]);
    const c = await parseDataFiles([file('watches.csv', toGenericCsv(small))]);
    expect(a.format).toBe('movielens');
    expect(b.format).toBe('ml100k');
    expect(c.format).toBe('csv');
    for (const d of [a, b, c]) {
      expect(d.count).toBe(small.user.length);
      expect(Array.from(d.time.subarray(0, 50))).toEqual(Array.from(small.time.subarray(0, 50)));
      expect(d.userKeys.length).toBe(60);
    }
    expect(a.itemKeys).toEqual(b.itemKeys);
    // Titles with commas survive the quoting; genres come from the item files.
    expect(a.titles[0]).toBe(small.titles[Number(a.itemKeys[0]) - 1]);
    expect(b.titles).toEqual(a.titles);
    expect(a.genres.length).toBeGreaterThan(5);
    expect(c.titles[0]).toContain(', The (');
    expect(c.watchSeconds[0]).toBe(small.rating[0] * 600);
    expect(Number.isNaN(a.watchSeconds[0])).toBe(true);
  });

  it('reads MovieLens 1M’s ::-separated ratings.dat and movies.dat', async () => {
    const ratings = Array.from(
      small.user,
      (u, k) => `${u}::${small.item[k]}::${small.rating[k]}::${small.time[k]}`,
    ).join('\n');
    const movies = small.titles.map((t, i) => `${i + 1}::${t}::Comedy|Drama`).join('\n');
    const d = await parseDataFiles([file('movies.dat', movies), file('ratings.dat', ratings)]);
    expect(d.format).toBe('ml1m');
    expect(d.count).toBe(small.user.length);
    expect(d.titles[0]).toBe(small.titles[Number(d.itemKeys[0]) - 1]);
    expect(d.genres).toEqual(['Comedy']);
    expect(Array.from(d.time.subarray(0, 20))).toEqual(Array.from(small.time.subarray(0, 20)));
  });

  it('names the file, line and column of a bad value, and what is allowed', async () => {
    const ml = toMovieLensCsv(small);
    const bad = withBadLine(ml.ratings, 17, '3,12,4.0,yesterday');
    const e = await failure(parseDataFiles([file('ratings.csv', bad)]));
    expect(e.line).toBe(17);
    expect(e.column).toBe(4);
    expect(e.message).toBe(
      'ratings.csv line 17, column 4 (timestamp): "yesterday" is not a whole number of seconds since 1970 from 0 to 100000000000',
    );
    const short = await failure(
      parseDataFiles([file('u.data', withBadLine(toMl100k(small).data, 5, '1\t2'))]),
    );
    expect(short.message).toMatch(
      /^u\.data line 5, column 3 \(missing field\): 2 field\(s\) where 4/,
    );
    const rating = await failure(
      parseDataFiles([file('ratings.csv', withBadLine(ml.ratings, 3, '1,2,five,874724710'))]),
    );
    expect(rating.message).toBe('ratings.csv line 3, column 3 (rating): "five" is not a number');
  });

  it('requires the generic CSV header and says which columns are missing', async () => {
    const e = await failure(parseDataFiles([file('log.csv', '1,2,3\n4,5,6\n')]));
    expect(e.line).toBe(1);
    expect(e.message).toContain('missing user, item, timestamp');
  });

  it('refuses files over the byte limit before reading them', async () => {
    const huge: DataFile = {
      name: 'ratings.csv',
      size: DATA_LIMITS.bytesPerFile + 1,
      content: 'x',
    };
    const e = await failure(parseDataFiles([huge]));
    expect(e.message).toBe(
      'ratings.csv is 64 MB (67108865 bytes); the limit is 64 MB (67108864 bytes) per file (refused before reading)',
    );
    expect(() => checkFileSizes([{ name: 'a', size: 10 }])).not.toThrow();
    expect(detectFormat(['u.data', 'u.item'])).toBe('ml100k');
    expect(() => detectFormat(['u.data', 'ratings.csv'])).toThrow(/mix formats/);
  });
});

describe('a world from own data', () => {
  it('holds time-ordered watch lists, a time split and popularity from the training part', async () => {
    const ml = toMovieLensCsv(small);
    const d = await parseDataFiles([
      file('ratings.csv', ml.ratings),
      file('movies.csv', ml.movies),
    ]);
    const { world, info } = worldFromInteractions(d, 'time');
    const { logs, config } = world;
    expect(logs.watches).toBe(d.count);
    for (let u = 0; u < world.users.count; u++)
      for (let j = logs.userWatchOffsets[u] + 1; j < logs.userWatchOffsets[u + 1]; j++)
        expect(logs.watchTime[j]).toBeGreaterThanOrEqual(logs.watchTime[j - 1]);
    expect(info.heldOutInteractions / info.interactions).toBeCloseTo(HELD_OUT_SHARE, 1);
    let train = 0;
    for (let j = 0; j < logs.watches; j++) if (logs.watchTime[j] < config.splitDay) train++;
    expect(train).toBe(info.trainInteractions);
    const pop = world.videos.popularity.reduce((a, b) => a + b, 0);
    expect(pop).toBeCloseTo(1, 5);
    // The examples builder runs unchanged: next-watch labels with the history before them.
    const ex = buildCandidateExamples(world, { split: 'train' });
    expect(ex.count).toBeGreaterThan(0);
    for (let i = 0; i < ex.count; i++) {
      expect(ex.time[i]).toBeLessThan(config.splitDay);
      expect(ex.bagEnd[i]).toBe(ex.labelWatch[i]);
    }
    const test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
    expect(test.count).toBe(info.heldOutUsers);
    expect(world.topicNames.length).toBe(info.genres.length);
  });

  it('holds out each user’s last interaction by default', async () => {
    const d = await parseDataFiles([file('ratings.csv', toMovieLensCsv(small).ratings)]);
    const { world, info } = worldFromInteractions(d);
    const { logs, config } = world;
    expect(info.heldOut).toBe('last');
    // Deterministic: the same files give the same world (a restarted worker's rebuild).
    expect(worldFromInteractions(d)).toEqual({ world, info });
    expect(info.heldOutUsers).toBe(60);
    expect(info.heldOutInteractions).toBe(60);
    const test = buildCandidateExamples(world, { split: 'test', perUserCap: 1 });
    expect(test.count).toBe(60);
    for (let i = 0; i < test.count; i++) {
      const u = test.user[i];
      // The label is the user's last interaction in time order, its context all before it.
      expect(test.labelWatch[i]).toBe(logs.userWatchOffsets[u + 1] - 1);
      expect(test.time[i]).toBe(config.splitDay);
      expect(logs.watchTime[test.labelWatch[i] - 1]).toBeLessThan(config.splitDay);
      expect(test.bagEnd[i] - test.bagStart[i]).toBe(
        Math.min(50, logs.userWatchOffsets[u + 1] - 1 - logs.userWatchOffsets[u]),
      );
    }
  });

  it('refuses data that leaves nothing to hold out', async () => {
    const d = await parseDataFiles([file('x.csv', 'user,item,timestamp\na,b,5\nc,d,5\n')]);
    expect(() => worldFromInteractions(d, 'time')).toThrow(/timestamps do not spread/);
    expect(() => worldFromInteractions(d, 'last')).toThrow(/no user has two interactions/);
  });
});
