/**
 * The parameter table: every knob of the app as one row (key, kind, range, default, help,
 * live or not, the config field it sets), grouped by what it configures. See `spec.ts` for a
 * row's shape and docs/architecture.md#add-a-knob for the recipe.
 */
export * from './enums';
export * from './spec';
export * from './training';
export * from './configs';
export * from './world';
export * from './views';
