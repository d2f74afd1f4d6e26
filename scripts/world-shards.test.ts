import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../src/sim/world';
import type { World } from '../src/sim/types';
import { buildCandidateExamples, watchBag } from '../src/sim/examples';
import { writeWorldShards, type Manifest } from './world-shards';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A small world: a few hundred users, two weeks. */
const SETTINGS = { seed: 5, videos: 600, users: 150, days: 14 };

const dirs: string[] = [];
let world: World;
let one: string;
let four: string;
let manifest: Manifest;
let db: DuckDBConnection;

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}
const scan = (dir: string, table: string) => `read_parquet('${dir}/${table}/*.parquet')`;

beforeAll(async () => {
  world = generateWorld(SETTINGS);
  one = mkdtempSync(join(tmpdir(), 'shards1-'));
  four = mkdtempSync(join(tmpdir(), 'shards4-'));
  dirs.push(one, four);
  await writeWorldShards({ settings: SETTINGS, out: one, shards: 1, workers: 0 });
  manifest = await writeWorldShards({ settings: SETTINGS, out: four, shards: 4, workers: 0 });
  db = await (await DuckDBInstance.create(':memory:')).connect();
}, 120_000);

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('world as Parquet shards, read back with DuckDB', () => {
  it('holds as many rows as the in-memory world, per table and in the manifest', async () => {
    const L = world.logs;
    const train = buildCandidateExamples(world, { split: 'train', perUserCap: 0 }).count;
    const test = buildCandidateExamples(world, { split: 'test', perUserCap: 0 }).count;
    const want: Record<string, number> = {
      videos: world.videos.count,
      users: world.users.count,
      sessions: L.sessions,
      impressions: L.impressions,
      watches: L.watches,
      searches: L.searches,
      examples: train + test,
    };
    for (const [table, n] of Object.entries(want)) {
      const [r] = await rows(`select count(*) as n from ${scan(four, table)}`);
      expect(Number(r.n), table).toBe(n);
      expect(manifest.tables[table].rows, table).toBe(n);
    }
    expect(manifest.tables.impressions.files).toBe(4);
    expect(JSON.parse(readFileSync(join(four, 'manifest.json'), 'utf8')).shards).toBe(4);
  });

  it('docs/scale-out.md documents every table and column written', () => {
    const doc = readFileSync(new URL('../docs/scale-out.md', import.meta.url), 'utf8');
    for (const [name, t] of Object.entries(manifest.tables)) {
      const section = doc.split(`### ${name}\n`)[1]?.split('\n### ')[0] ?? '';
      expect(section, name).not.toBe('');
      for (const c of t.columns) expect(section, `${name}.${c.name}`).toMatch(`| ${c.name} `);
    }
  });

  it('gives the same rows for 1 shard and 4 shards, every table', async () => {
    for (const table of ['users', 'sessions', 'impressions', 'watches', 'searches', 'examples']) {
      const [r] = await rows(
        `select (select count(*) from (select * from ${scan(one, table)} except all select * from ${scan(four, table)})) as a,
                (select count(*) from (select * from ${scan(four, table)} except all select * from ${scan(one, table)})) as b`,
      );
      expect([Number(r.a), Number(r.b)], table).toEqual([0, 0]);
    }
  });

  it('writes the same rows from worker threads (the command line, 3 shards on 2 threads)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'shards-cli-'));
    dirs.push(out);
    const flags = Object.entries(SETTINGS).flatMap(([k, v]) => [`--${k}`, String(v)]);
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/world.ts',
        ...flags,
        '--out',
        out,
        '--shards',
        '3',
        '--workers',
        '2',
        '--json',
      ],
      { encoding: 'utf8', cwd: ROOT },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).workers).toBe(2);
    for (const table of ['impressions', 'examples']) {
      const [d] = await rows(
        `select count(*) as n from (select * from ${scan(one, table)} except all select * from ${scan(out, table)})`,
      );
      expect(Number(d.n), table).toBe(0);
    }
  });

  it('joins: every watch is a clicked impression of the same video; minutes agree', async () => {
    const [r] = await rows(
      `select count(*) as n,
              sum(case when i.clicked and i.video = w.video then 1 else 0 end) as ok,
              sum(abs(i.watch_minutes - w.minutes)) as diff
         from ${scan(four, 'watches')} w
         join ${scan(four, 'impressions')} i using (user, session, position)`,
    );
    expect(Number(r.n)).toBe(world.logs.watches);
    expect(Number(r.ok)).toBe(world.logs.watches);
    expect(Number(r.diff)).toBe(0);
    const [m] = await rows(
      `select sum(minutes)::double as m from ${scan(four, 'watches')} w
         join ${scan(four, 'videos')} v using (video)`,
    );
    const sum = world.logs.watchMinutes.reduce((a, b) => a + b, 0);
    expect(Number(m.m)).toBeCloseTo(sum, 0);
  });

  it('examples: labels are watches; the expanded watch bag is the one the model reads', async () => {
    const ex = buildCandidateExamples(world, { split: 'train', perUserCap: 0 });
    const got = await rows(
      `select e.user, e.watch, e.label, w.video as labelled,
              (select list(b.video order by b.watch) from ${scan(four, 'watches')} b
                where b.user = e.user and b.watch >= e.bag_from and b.watch < e.watch) as bag
         from ${scan(four, 'examples')} e
         join ${scan(four, 'watches')} w using (user, watch)
        where e.split = 'train' order by e.user, e.watch`,
    );
    expect(got.length).toBe(ex.count);
    const out = new Int32Array(50);
    let checked = 0;
    for (let i = 0; i < ex.count; i++) {
      expect(Number(got[i].labelled)).toBe(ex.label[i]);
      const want = Array.from(out.subarray(0, watchBag(world, ex, i, out)));
      expect(((got[i].bag as number[] | null) ?? []).map(Number)).toEqual(want);
      checked += want.length;
    }
    expect(checked).toBeGreaterThan(ex.count); // bags are not all empty
  });
});
