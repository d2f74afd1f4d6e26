/**
 * Generated data files for tests, the CLI's measurements and the e2e spec (no downloads):
 * interactions drawn from a seed, written in the MovieLens formats and the generic CSV.
 *
 * The draw: items get a genre (uniform) and a Zipf popularity (exponent 1 over a random
 * rank); each user a favourite genre and a heavy-tailed number of ratings (at least 5); each
 * rating is, with probability `taste`, an item of the favourite genre by popularity, else any
 * item by popularity (no item twice per user when a few redraws avoid it). Times: each user
 * starts at a uniform day of `days` and rates at exponential gaps. So the next item is
 * predictable from the history (the genre) beyond popularity — what a trained candidate
 * generator should find.
 */
import { createRng } from '../rng';
import { ML100K_GENRES } from './formats';

/** Sizes of a generated data set. */
export interface FixtureOptions {
  seed: number;
  users: number;
  items: number;
  ratings: number;
  /** Share of a user's ratings in their favourite genre, 0 … 1 (default 0.8). */
  taste: number;
  /** Days the ratings span (default 210, about MovieLens 100K's seven months). */
  days: number;
}

/** Defaults of {@link FixtureOptions}: a small set (500 users, 400 items, 20 000 ratings). */
export const defaultFixture: FixtureOptions = {
  seed: 7,
  users: 500,
  items: 400,
  ratings: 20_000,
  taste: 0.8,
  days: 210,
};

/** Generated ratings in time order per user: user and item ids from 1, seconds, stars. */
export interface FixtureData {
  user: Int32Array;
  item: Int32Array;
  time: Float64Array;
  rating: Uint8Array;
  /** Genre index (into ML100K_GENRES, from 1) of each item id − 1. */
  genre: Uint8Array;
  titles: string[];
}

/** Start of the generated window: 1997-09-20 (MovieLens 100K's first day). */
const START = 874_724_710;

/** Draws a data set (module comment). */
export function generateFixture(options: Partial<FixtureOptions> = {}): FixtureData {
  const o = { ...defaultFixture, ...options };
  const rng = createRng(o.seed, 0xda7a);
  const G = ML100K_GENRES.length - 1; // "unknown" is not drawn
  const genre = Uint8Array.from({ length: o.items }, () => 1 + rng.int(G));
  // Zipf popularity over a random rank.
  const rank = Int32Array.from({ length: o.items }, (_, i) => i);
  for (let i = o.items - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rank[i], rank[j]] = [rank[j], rank[i]];
  }
  const weight = Float64Array.from(rank, (r) => 1 / (r + 1));
  const cdf = (ids: number[]) => {
    const c = new Float64Array(ids.length);
    let acc = 0;
    ids.forEach((v, k) => (c[k] = acc += weight[v]));
    return { ids, c };
  };
  const all = cdf(Array.from({ length: o.items }, (_, i) => i));
  const byGenre = Array.from({ length: G + 1 }, (_, g) =>
    cdf(Array.from({ length: o.items }, (_, i) => i).filter((i) => genre[i] === g)),
  );
  const draw = (t: { ids: number[]; c: Float64Array }) => {
    const x = rng.uniform() * t.c[t.c.length - 1];
    let lo = 0;
    let hi = t.c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t.c[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return t.ids[lo];
  };
  // Ratings per user: log-normal shares, at least 5 each.
  const share = Float64Array.from({ length: o.users }, () => rng.logNormal(0, 1));
  const sum = share.reduce((a, b) => a + b, 0);
  const per = Int32Array.from(share, (s) =>
    Math.max(5, Math.round(((o.ratings - 5 * o.users) * s) / sum) + 5),
  );
  const U: number[] = [];
  const I: number[] = [];
  const T: number[] = [];
  const R: number[] = [];
  for (let u = 0; u < o.users; u++) {
    let fav = 1 + rng.int(G);
    while (byGenre[fav].ids.length === 0) fav = 1 + rng.int(G);
    const seen = new Set<number>();
    let t = START + rng.uniform() * o.days * 86_400 * 0.9;
    const gap = (o.days * 86_400 * 0.1) / per[u];
    for (let k = 0; k < per[u]; k++) {
      let v = -1;
      for (let tries = 0; tries < 8 && (v < 0 || seen.has(v)); tries++)
        v = draw(rng.uniform() < o.taste ? byGenre[fav] : all);
      seen.add(v);
      t += 1 + Math.floor(-Math.log(1 - rng.uniform()) * gap);
      U.push(u + 1);
      I.push(v + 1);
      T.push(Math.floor(t));
      R.push(1 + rng.int(5));
    }
  }
  return {
    user: Int32Array.from(U),
    item: Int32Array.from(I),
    time: Float64Array.from(T),
    rating: Uint8Array.from(R),
    genre,
    titles: Array.from(genre, (_, i) => `Movie ${i + 1}, The (${1950 + (i % 50)})`),
  };
}

/** `ratings.csv` and `movies.csv` in the ml-latest format (header, comma, quoted titles). */
export function toMovieLensCsv(d: FixtureData): { ratings: string; movies: string } {
  const r: string[] = ['userId,movieId,rating,timestamp'];
  for (let k = 0; k < d.user.length; k++)
    r.push(`${d.user[k]},${d.item[k]},${d.rating[k]}.0,${d.time[k]}`);
  const m: string[] = ['movieId,title,genres'];
  d.titles.forEach((t, i) => m.push(`${i + 1},"${t}",${ML100K_GENRES[d.genre[i]]}|Drama`));
  return { ratings: r.join('\n') + '\n', movies: m.join('\n') + '\n' };
}

/** `u.data` (tab-separated) and `u.item` (pipe-separated, 19 genre flags) of MovieLens 100K. */
export function toMl100k(d: FixtureData): { data: string; item: string } {
  const r: string[] = [];
  for (let k = 0; k < d.user.length; k++)
    r.push(`${d.user[k]}\t${d.item[k]}\t${d.rating[k]}\t${d.time[k]}`);
  const m = d.titles.map((t, i) => {
    const flags = ML100K_GENRES.map((_, g) => (g === d.genre[i] ? '1' : '0'));
    return [i + 1, t, '01-Jan-1995', '', 'http://example.invalid/', ...flags].join('|');
  });
  return { data: r.join('\n') + '\n', item: m.join('\n') + '\n' };
}

/** The generic CSV `user,item,timestamp,watch_seconds,title` (watch seconds from the stars). */
export function toGenericCsv(d: FixtureData): string {
  const r: string[] = ['user,item,timestamp,watch_seconds,title'];
  for (let k = 0; k < d.user.length; k++)
    r.push(
      `u${d.user[k]},v${d.item[k]},${d.time[k]},${d.rating[k] * 600},"${d.titles[d.item[k] - 1]}"`,
    );
  return r.join('\n') + '\n';
}

/** `text` with its 1-based line `line` replaced by `bad` (a fixture with a bad line). */
export function withBadLine(text: string, line: number, bad: string): string {
  const lines = text.split('\n');
  lines[line - 1] = bad;
  return lines.join('\n');
}
