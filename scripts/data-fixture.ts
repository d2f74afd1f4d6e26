/**
 * `npx tsx scripts/data-fixture.ts --out <folder> [--size small|100k|1m] [--format
 * movielens|ml100k|csv] [--seed 7]`: writes a generated data set (src/sim/import/fixtures.ts)
 * in a MovieLens format or the generic CSV — the files the tests, the measurements in
 * docs/own-data.md and anyone without a download can load. Sizes: `100k` = MovieLens 100K's
 * 943 users, 1 682 items, 100 000 ratings; `1m` = MovieLens 1M's 6 040 users, 3 706 items,
 * 1 000 209 ratings; `small` = 500 users, 400 items, 20 000 ratings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from './args';
import { runCli } from './flags';
import { ConfigError } from '../src/sim/config';
import {
  generateFixture,
  toGenericCsv,
  toMl100k,
  toMovieLensCsv,
} from '../src/sim/import/fixtures';

const SIZES = {
  small: { users: 500, items: 400, ratings: 20_000 },
  '100k': { users: 943, items: 1682, ratings: 100_000 },
  '1m': { users: 6040, items: 3706, ratings: 1_000_209 },
} as const;

runCli(async () => {
  const f = parseArgs(process.argv.slice(2));
  const out = typeof f.out === 'string' ? f.out : null;
  if (!out) throw new ConfigError('out', '--out <folder> is needed');
  const size = (f.size ?? 'small') as keyof typeof SIZES;
  if (!Object.hasOwn(SIZES, size))
    throw new ConfigError('size', `--size must be one of ${Object.keys(SIZES).join(', ')}`);
  const format = f.format ?? 'movielens';
  const seed = Number(f.seed ?? 7);
  const d = generateFixture({ ...SIZES[size], seed });
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  const put = (name: string, text: string, enc: 'utf-8' | 'latin1' = 'utf-8') => {
    writeFileSync(join(out, name), text, enc);
    written.push(join(out, name));
  };
  if (format === 'movielens') {
    const m = toMovieLensCsv(d);
    put('ratings.csv', m.ratings);
    put('movies.csv', m.movies);
  } else if (format === 'ml100k') {
    const m = toMl100k(d);
    put('u.data', m.data);
    put('u.item', m.item, 'latin1');
  } else if (format === 'csv') put('watches.csv', toGenericCsv(d));
  else throw new ConfigError('format', '--format must be one of movielens, ml100k, csv');
  console.log(`${d.user.length} ratings of ${SIZES[size].users} users: ${written.join(', ')}`);
});
