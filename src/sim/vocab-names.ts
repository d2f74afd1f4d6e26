/** Names of the 50 topics (the first `config.topics` are used). */
export const TOPIC_NAMES: readonly string[] = [
  'cooking', 'speedruns', 'lo-fi', 'chess', 'woodworking', 'football', 'astronomy', 'makeup',
  'drumming', 'gardening', 'retro games', 'cycling', 'origami', 'k-pop', 'true crime',
  'calculus', 'skateboarding', 'baking', 'guitar', 'fishing', 'anime', 'yoga', 'cars',
  'birdwatching', 'stand-up', 'chemistry', 'travel vlogs', 'knitting', 'basketball', 'jazz',
  'minecraft', 'history', 'photography', 'hiking', 'coding', 'pottery', 'tennis', 'opera',
  'camping', 'dinosaurs', 'esports', 'painting', 'running', 'podcasts', 'rap', 'robotics',
  'surfing', 'vlogs', 'magic tricks', 'asmr',
];
/** Age buckets of users (index = ageBucket). */
export const AGE_BUCKETS: readonly string[] = ['13–17', '18–24', '25–34', '35–44', '45–54', '55+'];
/** Countries (regions); index = country. */
export const COUNTRIES: readonly string[] = ['US', 'GB', 'IN', 'BR', 'DE', 'FR', 'JP', 'MX', 'ES', 'KR'];
/** Languages; index = language. */
export const LANGUAGES: readonly string[] = ['en', 'hi', 'pt', 'de', 'fr', 'ja', 'es', 'ko'];
/** Devices; index = device. */
export const DEVICES: readonly string[] = ['mobile', 'desktop', 'tv', 'tablet'];
