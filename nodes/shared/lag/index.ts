// Consumer lag: pure evaluation (Burrow rules, time-lag interpolation, catch-up, incidents,
// Prometheus text) plus the one broker round trip that feeds it.
export { partitionLag, parseOffset, addTimelinePoint, interpolateTimeLag, estimateRates, type Samples, type Timeline, type TimeLag, type Rates } from './math';
export { evaluatePartition, groupStatusOf, worseOf, type PartitionStatus, type GroupStatus, type PartitionEvaluation } from './burrow';
export {
  evaluateSnapshot,
  emptyLagState,
  asLagState,
  partitionKey,
  type LagState,
  type LagSnapshot,
  type GroupSnapshot,
  type PartitionSnapshot,
  type EvaluateOptions,
  type GroupResult,
  type PartitionResult,
  type TopicResult,
} from './evaluate';
export { parseGroupSelection, selectGroups, type GroupSelection } from './selection';
export { LAG_METRICS, toPrometheus } from './prometheus';
export { stepIncidents, type IncidentState, type IncidentRecord, type IncidentEvent } from './incidents';
export { collectLagSnapshot, collectWith, collectShareWith, notFoundError, noGroupMatchesError, type CollectResult, type LagGroupType } from './collect';
export { runLagPipeline, LAG_STATE_KEY, type LagRun, type LagRunOptions } from './pipeline';
