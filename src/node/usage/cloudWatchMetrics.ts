/**
 * Usage records as CloudWatch custom metrics: token counts, latency, estimated cost and errors,
 * each with the dimensions Model and Kind (errors also ErrorCode), so a team can graph and alarm
 * per model and per kind of call. Limits: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { UsageRecord } from '../../core/usage/usageRecord';

/** Metric names as published (namespace from `bedrockDocs.usage.cloudWatch.namespace`). */
export const METRIC_NAMES = {
  requests: 'Requests',
  inputTokens: 'InputTokens',
  outputTokens: 'OutputTokens',
  cacheReadInputTokens: 'CacheReadInputTokens',
  cacheWriteInputTokens: 'CacheWriteInputTokens',
  embeddingTokens: 'EmbeddingTokens',
  latency: 'Latency',
  cost: 'EstimatedCostUsd',
  errors: 'Errors',
} as const;

/** PutMetricData takes at most 1,000 datums per call. */
export const MAX_DATUMS_PER_CALL = 1000;

// Dimension values are 1-1024 characters.
const dimension = (name: string, value: string) => ({ Name: name, Value: (value || 'unknown').slice(0, 1024) });

/**
 * The datums one record adds: Requests (1); the four chat token counts for every kind but
 * indexing, and EmbeddingTokens for indexing (or any record with embedding tokens); Latency (ms) and EstimatedCostUsd (when priced) of successful
 * calls; Errors (1) with an ErrorCode dimension for failed ones.
 */
export function metricDataOf(record: UsageRecord): MetricDatum[] {
  const Timestamp = new Date(record.time);
  const dims = [dimension('Model', record.modelId), dimension('Kind', record.kind)];
  const datum = (MetricName: string, Value: number, Unit: MetricDatum['Unit'], Dimensions = dims): MetricDatum => ({
    MetricName,
    Dimensions,
    Timestamp,
    Value,
    Unit,
  });
  const out: MetricDatum[] = [datum(METRIC_NAMES.requests, 1, 'Count')];
  if (record.kind !== 'indexing') {
    out.push(
      datum(METRIC_NAMES.inputTokens, record.inputTokens, 'Count'),
      datum(METRIC_NAMES.outputTokens, record.outputTokens, 'Count'),
      datum(METRIC_NAMES.cacheReadInputTokens, record.cacheReadInputTokens, 'Count'),
      datum(METRIC_NAMES.cacheWriteInputTokens, record.cacheWriteInputTokens, 'Count'),
    );
  }
  if (record.kind === 'indexing' || record.embeddingTokens > 0)
    out.push(datum(METRIC_NAMES.embeddingTokens, record.embeddingTokens, 'Count'));
  if (record.errorCode) {
    out.push(datum(METRIC_NAMES.errors, 1, 'Count', [...dims, dimension('ErrorCode', record.errorCode)]));
  } else {
    out.push(datum(METRIC_NAMES.latency, record.latencyMs, 'Milliseconds'));
  }
  if (record.costUsd !== null) out.push(datum(METRIC_NAMES.cost, record.costUsd, 'None'));
  return out;
}

/** Splits datums into PutMetricData-sized batches, in order. */
export function batchDatums(datums: readonly MetricDatum[], size = MAX_DATUMS_PER_CALL): MetricDatum[][] {
  const batches: MetricDatum[][] = [];
  for (let i = 0; i < datums.length; i += size) batches.push(datums.slice(i, i + size));
  return batches;
}

/**
 * Why CloudWatch would reject a namespace, or undefined: 1-255 characters of 0-9A-Za-z . - _ / # :
 * and space, not starting with "AWS/" (reserved for AWS services).
 */
export function namespaceProblem(namespace: string): string | undefined {
  if (namespace.length === 0 || namespace.length > 255) return 'must be 1-255 characters';
  if (!/^[0-9A-Za-z.\-_/#: ]+$/.test(namespace)) return 'may hold only letters, digits, spaces and . - _ / # :';
  if (/^AWS\//.test(namespace)) return 'must not start with "AWS/" (reserved for AWS services)';
  return undefined;
}
