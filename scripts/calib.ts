// Calibration probe (temporary): most-popular vs oracle recall@100 on next watches after the split.
import { generateWorld } from '../src/sim/world';
import { affinity, clickLogitFromAffinity } from '../src/sim/oracle';
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')).map(([k, v]) => [k, Number(v)]));
const t0 = performance.now();
const w = generateWorld({ seed: 7, ...args });
const L = w.logs, N = w.videos.count, split = w.config.splitDay;
console.log({ ms: Math.round(performance.now() - t0), imps: L.impressions, watches: L.watches, wpv: +(L.watches / N).toFixed(1), ctr: +(L.watches / L.impressions).toFixed(3) });
const src = new Float64Array(6), clk = new Float64Array(6);
for (let i = 0; i < L.impressions; i++) { src[L.impSource[i]]++; clk[L.impSource[i]] += L.impClicked[i]; }
console.log('share', Array.from(src, (x) => (x / L.impressions).toFixed(3)).join(' '), '| ctr', Array.from(clk, (x, i) => (x / src[i]).toFixed(3)).join(' '), '| watch share', Array.from(clk, (x) => (x / L.watches).toFixed(3)).join(' '));
// most popular over last 7 train days
const cnt = new Float64Array(N);
for (let i = 0; i < L.watches; i++) if (L.watchTime[i] < split && L.watchTime[i] >= split - 7) cnt[L.watchVideo[i]]++;
const top = Array.from(cnt.keys()).sort((a, b) => cnt[b] - cnt[a]).slice(0, 100);
const topSet = new Set(top);
// test examples: first watch on/after split per user (sample of users)
let hitsPop = 0, n = 0; const K = 100; const V = ['4a+.6lp','4a+.3lp','a','logit','logit+.5lp','logit+1lp']; const hits = new Float64Array(V.length);
const aff = new Float64Array(N), lg = new Float64Array(N);
const logp = Float64Array.from(w.videos.popularity, (p) => Math.log(p));
const scores = new Float64Array(N);
for (let u = 0; u < w.users.count && n < 600; u += 3) {
  for (let j = L.userWatchOffsets[u]; j < L.userWatchOffsets[u + 1]; j++) {
    if (L.watchTime[j] < split) continue;
    const v = L.watchVideo[j], t = L.watchTime[j];
    n++; if (topSet.has(v)) hitsPop++;
    for (let x = 0; x < N; x++) { aff[x] = affinity(w, u, x); lg[x] = clickLogitFromAffinity(w, u, x, t, aff[x]); }
    for (let m = 0; m < V.length; m++) {
      for (let x = 0; x < N; x++) { const a = aff[x], l = logp[x]; scores[x] = w.videos.uploadTime[x] > t ? -1e9 : m === 0 ? 0.6 * l + 4 * a : m === 1 ? 0.3 * l + 4 * a : m === 2 ? a : m === 3 ? lg[x] : m === 4 ? lg[x] + 0.5 * l : lg[x] + l; }
      const s = scores[v]; let rank = 0; for (let x = 0; x < N; x++) if (scores[x] > s) rank++;
      if (rank < K) hits[m]++;
    }
    break;
  }
}
console.log('n', n, 'popular', (hitsPop / n).toFixed(3), V.map((x, i) => x + '=' + (hits[i] / n).toFixed(3)).join(' '));
