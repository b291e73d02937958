// The chart option builders, one import for the app (renderer/) and the CLI (src-main/eval/render.ts).
export * from './theme.ts';
export * from './histograms.ts';
export * from './roc.ts';
export * from './heatmaps.ts';
export * from './curves.ts';
