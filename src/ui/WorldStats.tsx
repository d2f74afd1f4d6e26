/**
 * The world's statistics: each figure is an element whose text is just the number (test id
 * `stat.<name>`), with its label beside it. Watches per video comes first and is flagged when
 * below 50, the least at which the models learn a video's embedding
 * (docs/design-notes.md#watches-per-video).
 */
import type { ReactNode } from 'react';
import type { WorldSummary } from '../sim/summary-types';
import { fixed, int } from './format';

/** Watches per video below which ID embeddings are not learned well. */
export const MIN_WATCHES_PER_VIDEO = 50;

interface StatProps {
  name: string;
  label: ReactNode;
  value: string;
  title?: string;
}

function Stat({ name, label, value, title }: StatProps) {
  return (
    <div className="stat" title={title}>
      <span className="stat-label">{label}</span>
      <span className="stat-value" data-testid={`stat.${name}`}>
        {value}
      </span>
    </div>
  );
}

/** The statistics of a world summary. */
export function WorldStats({ summary }: { summary: WorldSummary }) {
  const s = summary;
  const enough = s.watchesPerVideo >= MIN_WATCHES_PER_VIDEO;
  return (
    <section className="stats" aria-label="World statistics">
      <div className={`stat stat-key ${enough ? 'ok' : 'low'}`}>
        <span className="stat-label">watches per video</span>
        <span className="stat-value" data-testid="stat.watchesPerVideo">
          {fixed(s.watchesPerVideo, 1)}
        </span>
        <span className="stat-note" data-testid="stat.watchesPerVideo.note">
          {enough
            ? `≥ ${MIN_WATCHES_PER_VIDEO}: enough to learn each video's embedding`
            : `below ${MIN_WATCHES_PER_VIDEO}: too few to learn each video's embedding`}
        </span>
      </div>
      <Stat
        name="videos"
        label="videos"
        value={int(s.videos)}
        title={`on ${s.channels} channels`}
      />
      <Stat name="users" label="users" value={int(s.users)} />
      <Stat
        name="watches"
        label="watches"
        value={int(s.watches)}
        title={`${fixed(s.watchesPerUser, 1)} per user`}
      />
      <Stat
        name="impressions"
        label="impressions"
        value={int(s.impressions)}
        title={`in ${s.sessions} sessions; ${s.searches} searches`}
      />
      <Stat name="ctr" label="CTR" value={fixed(s.ctr, 3)} title="watches ÷ impressions" />
      <Stat name="clickbaitCtr" label="clickbait CTR" value={fixed(s.clickbait.ctr, 3)} />
      <Stat name="clickbaitCtrOther" label="CTR, the rest" value={fixed(s.clickbait.ctrOther, 3)} />
      <Stat
        name="zipfExponent"
        label="Zipf exponent"
        value={fixed(s.zipfExponent, 2)}
        title={`Fitted: minus the least-squares slope of log(times shown for popularity) on log(rank); set to ${s.zipfExponentSetting}`}
      />
      <Stat
        name="forwardShare"
        label="series: forward"
        value={fixed(s.series.forwardShare, 3)}
        title={`${s.series.count} series; share of episode-to-episode moves k → k+1`}
      />
      <Stat
        name="ownLanguage"
        label="own-language watches"
        value={fixed(s.audience.ownLanguageShare, 3)}
        title={`${s.audience.languages} languages; share of watches in the watcher's language`}
      />
      <Stat
        name="loggedOut"
        label="watches, logged out"
        value={fixed(s.audience.watchesPerUserLoggedOut, 1)}
        title={`per user; ${fixed(s.audience.watchesPerUserLoggedIn, 1)} per logged-in user`}
      />
      <Stat name="seed" label="seed" value={int(s.seed)} />
    </section>
  );
}
