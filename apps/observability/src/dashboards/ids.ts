// Dashboard uids and panel ids: stable, because alerts (dashboard_url), runbooks (viewPanel links)
// and people's bookmarks point at them. Renumbering a panel breaks those links; add new ids instead.

export interface DashboardRef {
  uid: string;
  title: string;
}

export const DASHBOARDS = {
  overview: { uid: "gl-tracing-overview", title: "Tracing overview" },
  tempo: { uid: "gl-tempo-operations", title: "Tempo operations" },
  collector: { uid: "gl-otel-collector", title: "OpenTelemetry Collector" },
  analytics: { uid: "gl-trace-analytics", title: "Trace analytics" },
} as const satisfies Record<string, DashboardRef>;

export const PANELS = {
  overview: {
    sdkExported: 1,
    edgeAccepted: 2,
    sentToTempo: 3,
    tempoReceived: 4,
    sdkDrops: 5,
    collectorLosses: 6,
    tempoDiscarded: 7,
    alerts: 8,
  },
  tempo: {
    spansReceived: 1,
    discarded: 2,
    appends: 3,
    pushLatency: 4,
    ring: 5,
    liveTraces: 6,
    flushes: 7,
    flushQueue: 8,
    searchLatency: 9,
    queryErrors: 10,
    queries: 11,
    frontendQueue: 12,
    backendLatency: 13,
    blocklist: 14,
    storageErrors: 15,
    tenantIndexAge: 16,
    generatorSpans: 17,
    generatorSeries: 18,
  },
  collector: {
    up: 1,
    accepted: 2,
    refused: 3,
    memoryLimiter: 4,
    sent: 5,
    sendFailed: 6,
    enqueueFailed: 7,
    queueFill: 8,
    inFlight: 9,
    tailDecisions: 10,
    tailKept: 11,
    tailMemory: 12,
    tailLate: 13,
    tailDecisionLatency: 14,
    lbBackends: 15,
    lbOutcome: 16,
    memory: 17,
    cpu: 18,
    metricPoints: 19,
    lbLatency: 20,
  },
  analytics: {
    calls: 1,
    errorShare: 2,
    latency: 3,
    serviceMap: 4,
    slowTraces: 5,
    sdkRequests: 6,
    sdkLatency: 7,
    eventLoop: 8,
    cpu: 9,
    memory: 10,
  },
} as const satisfies Record<keyof typeof DASHBOARDS, Record<string, number>>;
