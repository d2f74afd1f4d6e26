/**
 * The World view's five charts, each with axis titles and a one-sentence caption computed
 * from the summary: topic mix, popularity by rank, durations, clickbait, one user's timeline.
 */
import { useMemo } from 'react';
import type { WorldSummary } from '../sim/summary-types';
import type { WorldConfig } from '../sim/types';
import { ChartFigure } from './ChartFigure';
import { ClickbaitChart, type ClickbaitData } from './charts/clickbait';
import { DurationChart, histogramMedian, type DurationData } from './charts/duration';
import { PopularityChart, type PopularityData } from './charts/popularity';
import { TimelineChart, type TimelineData } from './charts/timeline';
import { TopicMixChart, type TopicMixData } from './charts/topic-mix';
import { fixed, pct } from './format';

/** Topics shown in the topic-mix chart. */
const TOP_TOPICS = 20;

/** The charts of one world. */
export function WorldCharts({ summary, config }: { summary: WorldSummary; config: WorldConfig }) {
  const s = summary;
  const topics = useMemo<TopicMixData>(() => ({ topics: s.topics, top: TOP_TOPICS }), [s]);
  const popularity = useMemo<PopularityData>(
    () => ({
      points: s.popularityByRank,
      exponent: s.zipfExponentWatches,
      // The summary fits ranks 1 … videos/20 (at least 10).
      fitMaxRank: Math.max(10, Math.floor(s.videos / 20)),
    }),
    [s],
  );
  const durations = useMemo<DurationData>(() => s.durationHistogram, [s]);
  const clickbait = useMemo<ClickbaitData>(() => s.clickbait, [s]);
  const timeline = useMemo<TimelineData>(
    () => ({ timeline: s.timeline, days: config.days, splitDay: config.splitDay }),
    [s, config],
  );

  const t = s.timeline;
  const shownTopics = Math.min(TOP_TOPICS, s.topics.length);

  return (
    <section className="charts" aria-label="World charts">
      <ChartFigure
        className="span2"
        testId="chart.topics"
        title="Topic mix"
        chart={TopicMixChart}
        data={topics}
        caption={`Share of all videos and of all watches, for the ${shownTopics} of ${s.topics.length} topics most watched: watches follow interests, not the catalogue.`}
      />
      <ChartFigure
        testId="chart.popularity"
        title="Popularity by rank"
        chart={PopularityChart}
        data={popularity}
        caption={`Watches by popularity rank, log-log. Fitted Zipf exponent ${fixed(s.zipfExponentWatches, 2)} on watches (dashed), ${fixed(s.zipfExponent, 2)} on popularity picks (set ${s.zipfExponentSetting}). A straight line here is Zipf's law: the r-th most watched video gets about 1/r^s of the top one's watches, so an exponent s near 1 means a few hits and a long tail.`}
      />
      <ChartFigure
        testId="chart.duration"
        title="Durations"
        chart={DurationChart}
        data={durations}
        caption={`Lengths of the ${s.videos} videos in log-spaced bins: log-normal, median about ${fixed(histogramMedian(s.durationHistogram), 1)} min.`}
      />
      <ChartFigure
        testId="chart.clickbait"
        title="Clickbait vs the rest"
        chart={ClickbaitChart}
        data={clickbait}
        caption={`Clickbait (${pct(s.clickbait.share)} of videos) is clicked more (clicks per impression) but watched less (minutes watched ÷ length).`}
      />
      <ChartFigure
        className="span3"
        testId="chart.timeline"
        title={`User ${t.user}'s timeline`}
        chart={TimelineChart}
        data={timeline}
        caption={
          `User ${t.user} (age ${t.ageBucket}, ${t.country}, ${t.device}, speaks ${t.language}; ` +
          `top interests ${t.topInterests.map(([name, w]) => `${name} ${pct(w)}`).join(', ')}): ` +
          `${t.searches.length} searches, ${t.watches.length} watches and ` +
          (t.impressions.length < t.impressionsNotClicked
            ? `${t.impressions.length} of its ${t.impressionsNotClicked} impressions not clicked (every ${Math.ceil(t.impressionsNotClicked / t.impressions.length)}th).`
            : `${t.impressions.length} impressions not clicked.`)
        }
      />
    </section>
  );
}
