// Sends Claude Code-shaped telemetry to paybackd through the real OpenTelemetry
// OTLP/HTTP JSON exporters, configured only by the standard environment
// (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS), as Claude Code is.
// Usage: node export.js REQUESTS
'use strict';
const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-http');
const { MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-http');
const { Resource } = require('@opentelemetry/resources');

const n = parseInt(process.argv[2] || '10', 10);
const resource = new Resource({ 'service.name': 'claude-code', 'service.version': '2.0.0' });
const failures = [];
const logExporter = new OTLPLogExporter();
const realExport = logExporter.export.bind(logExporter);
logExporter.export = (items, done) =>
  realExport(items, (r) => { if (r.code !== 0) failures.push(r.error); done(r); });
const logs = new LoggerProvider({ resource });
logs.addLogRecordProcessor(new BatchLogRecordProcessor(logExporter, { maxExportBatchSize: 512 }));
const logger = logs.getLogger('com.anthropic.claude_code', '2.0.0');
const metricReader = new PeriodicExportingMetricReader({
  exporter: new OTLPMetricExporter(), exportIntervalMillis: 3600000 });
const meters = new MeterProvider({ resource, readers: [metricReader] });
const meter = meters.getMeter('com.anthropic.claude_code');
const lines = meter.createCounter('claude_code.lines_of_code.count');
const editDecisions = meter.createCounter('claude_code.code_edit_tool.decision');

async function main() {
  const base = Date.parse('2026-11-20T09:00:00Z');
  for (let i = 0; i < n; i++) {
    // The last request's session has no tool_decision record: only the metric decides it.
    const session = i === n - 1 ? 'otel-session-2' : 'otel-session-' + (i % 2);
    const when = new Date(base + i * 60000);
    // The person's prompts: the first request of each of two sessions answers
    // one, and a later one in session 0 a second there.
    if (i === 0 || i === 1 || i === 10)
      logger.emit({
        body: 'claude_code.user_prompt', timestamp: new Date(when.getTime() - 1000),
        attributes: { 'event.name': 'user_prompt', 'session.id': session,
          'user.email': 'otel.dev@example.com', prompt_length: 42 } });
    logger.emit({
      body: 'claude_code.api_request', timestamp: when,
      attributes: {
        'event.name': 'api_request', 'event.timestamp': when.toISOString(),
        'user.email': 'otel.dev@example.com', 'session.id': session, model: 'claude-sonnet-4-5',
        input_tokens: 100, output_tokens: 20, cache_read_tokens: 1000, cache_creation_tokens: 10,
        cost_usd: 0.0123, duration_ms: 1500 + i },
    });
  }
  logger.emit({ body: 'claude_code.tool_decision', timestamp: new Date(base + n * 60000),
    attributes: { 'event.name': 'tool_decision', 'session.id': 'otel-session-0',
      'user.email': 'otel.dev@example.com', tool_name: 'Edit', decision: 'accept' } });
  await logs.forceFlush();
  // A decision in a later export than its request: applied to the stored request.
  logger.emit({ body: 'claude_code.tool_decision', timestamp: new Date(base + n * 60000 + 1000),
    attributes: { 'event.name': 'tool_decision', 'session.id': 'otel-session-1',
      'user.email': 'otel.dev@example.com', tool_name: 'Write', decision: 'reject' } });
  await logs.forceFlush();
  lines.add(30, { type: 'added', 'session.id': 'otel-session-0', 'user.email': 'otel.dev@example.com' });
  await metricReader.forceFlush();
  // Cumulative: the second export carries 30 + 12, of which only 12 is new.
  lines.add(12, { type: 'added', 'session.id': 'otel-session-0', 'user.email': 'otel.dev@example.com' });
  await metricReader.forceFlush();
  // An edit accepted, seen through the metric alone; its second export has not grown.
  const edit = { decision: 'accept', tool_name: 'Write', language: 'Python', source: 'config',
    'session.id': 'otel-session-2', 'user.email': 'otel.dev@example.com' };
  editDecisions.add(1, edit);
  await metricReader.forceFlush();
  await metricReader.forceFlush();
  await logs.shutdown();
  await meters.shutdown();
  if (failures.length) {
    console.error('export failed:', failures.map(String).join('; '));
    process.exit(1);
  }
  console.log('exported ' + n + ' requests');
}
main().catch((e) => { console.error(e); process.exit(1); });
