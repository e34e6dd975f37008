// The answers the dashboard reads, as collector/openapi.yaml describes them.
export type Cascade = {
  id: string; content: string; root: string | null; startedAt: number; size: number; depth: number;
  maxBreadth: number; virality: number | null; shape: 'broadcast' | 'viral';
};
export type Figures = {
  renderedImpressions: number; viewableImpressions: number; viewableRate: number | null;
  pageViewsWithShare: number; shares: number; reshares: number; shareRate: number | null; countedClickbacks: number;
  clickbacksPerShare: number | null; viralCoefficient: number | null; sharers: number; arrivals: number;
  conversions: number; conversionValue: number; creditedConversions: number; creditedValue: number;
  largestCascade: Cascade | null;
};
export type Overview = { from: number; to: number; current: Figures; previous: { from: number; to: number; figures: Figures } };
export type Point = {
  at: number; viewableImpressions: number; shares: number; countedClickbacks: number; arrivals: number;
  conversions: number; creditedConversions: number;
};
export type Engagement = {
  content: string; renderedImpressions: number; viewableImpressions: number; viewableRate: number | null;
  dwellMs: { total: number; median: number | null }; video: { starts: number; quartiles: number[] };
  shares: Record<string, number>; shareRate: number | null; countedClickbacks: number;
  clickbacksPerShare: number | null; viralCoefficient: number | null; sharers: number; arrivals: number;
};
export type ChannelRow = { channel: string; shares: number; countedClickbacks: number };
export type Standing = {
  id: string; score: number; countedClickbacks: number; conversionsInfluenced: number; conversionCredit: number;
};
export type Level = { level: number; clickbacks: number; points: number };
export type VisitorScore = Standing & { visitor: string; levels: Level[]; subscribers: string[] };
export type TreeNode = {
  visitor: string | null; depth: number; size: number; countedClickbacks: number; hiddenChildren: number;
  children: TreeNode[];
};
export type Verdicts = { verdicts: Record<string, number>; botPageViews: number };
export type Erasure = { deleted: Record<string, number>; message: string };
