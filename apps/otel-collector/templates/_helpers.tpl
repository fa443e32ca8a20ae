{{/*
Names, labels and small computations shared by every template. A "tier" is one of collector
(single mode), front and gateway (two-tier mode); templates call helpers with
(dict "root" $ "tier" "<tier>").
*/}}

{{- define "otelcol.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The tiers the mode runs, in render order. */}}
{{- define "otelcol.tiers" -}}
{{- if eq .Values.mode "two-tier" -}}front gateway{{- else -}}collector{{- end -}}
{{- end -}}

{{/* Object name of a tier: the single-mode collector carries the bare release name. */}}
{{- define "otelcol.tierName" -}}
{{- $full := include "otelcol.fullname" .root -}}
{{- if eq .tier "collector" -}}{{ $full }}{{- else -}}{{ printf "%s-%s" $full .tier | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{/* The tier services send OTLP to. */}}
{{- define "otelcol.receivingTier" -}}
{{- if eq .Values.mode "two-tier" -}}front{{- else -}}collector{{- end -}}
{{- end -}}

{{/* The tier that exports to Tempo and therefore holds the persistent queue. */}}
{{- define "otelcol.exportingTier" -}}
{{- if eq .Values.mode "two-tier" -}}gateway{{- else -}}collector{{- end -}}
{{- end -}}

{{/* Headless Service governing a StatefulSet tier; for the gateway it is also the load-balancing target. */}}
{{- define "otelcol.headlessName" -}}
{{- printf "%s-headless" (include "otelcol.tierName" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "otelcol.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .tier }}
{{- end -}}

{{/* Recommended labels; "tier" is "" for objects that belong to the whole release. */}}
{{- define "otelcol.labels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ .tier | default "collector" }}
app.kubernetes.io/part-of: greenlang-tracing
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
greenlang.io/cluster: {{ .root.Values.cluster.name }}
greenlang.io/environment: {{ .root.Values.cluster.environment }}
{{- end -}}

{{/* Does the HPA own this tier's replica count? The gateway is never autoscaled (see values.yaml). */}}
{{- define "otelcol.autoscaled" -}}
{{- $t := index .root.Values.tiers .tier -}}
{{- if and (ne .tier "gateway") $t.autoscaling $t.autoscaling.enabled -}}true{{- end -}}
{{- end -}}

{{/* Does the tier run more than one pod (at some point)? Replicated tiers get a PDB and spread. */}}
{{- define "otelcol.replicated" -}}
{{- $t := index .root.Values.tiers .tier -}}
{{- if include "otelcol.autoscaled" . -}}
{{- if gt (int $t.autoscaling.maxReplicas) 1 -}}true{{- end -}}
{{- else if gt (int $t.replicas) 1 -}}true{{- end -}}
{{- end -}}

{{/*
Memory limit in MiB from a quantity written as <n>Mi or <n>Gi (the schema allows only those, so
this arithmetic is exact).
*/}}
{{- define "otelcol.memoryLimitMiB" -}}
{{- $q := toString . -}}
{{- if hasSuffix "Gi" $q -}}{{ mul (int (trimSuffix "Gi" $q)) 1024 }}
{{- else if hasSuffix "Mi" $q -}}{{ int (trimSuffix "Mi" $q) }}
{{- else -}}{{ fail (printf "memory limit %q: expected <n>Mi or <n>Gi" $q) }}
{{- end -}}
{{- end -}}

{{/*
Whole seconds (rounded up) of a duration in one unit: "500ms", "10s" or "2m"; anything else fails,
naming the value. values.schema.json lets only those forms through for the durations passed here.
*/}}
{{- define "otelcol.ceilSeconds" -}}
{{- $d := toString . -}}
{{- if regexMatch "^[0-9]+ms$" $d -}}
{{- div (add (trimSuffix "ms" $d | int) 999) 1000 -}}
{{- else if regexMatch "^[0-9]+s$" $d -}}
{{- trimSuffix "s" $d | int -}}
{{- else if regexMatch "^[0-9]+m$" $d -}}
{{- mul (trimSuffix "m" $d | int) 60 -}}
{{- else -}}
{{- fail (printf "expected a duration in whole ms, s or m (got %q)" $d) -}}
{{- end -}}
{{- end -}}

{{/*
How long a gateway pod keeps running after it leaves the headless Service (its preStop sleep):
until every front pod has dropped it from its ring (the DNS answer may be loadBalancing.dnsRecordTtl
old, and the front asks every loadBalancing.dnsInterval), then until the traces it took until then
are decided (sampling.decisionWait), plus the batch timeout and a few seconds for the exports to
leave. A gateway told to stop before then loses the traces in its decision window, counted nowhere.
*/}}
{{- define "otelcol.gatewayDrainSeconds" -}}
{{- $v := .Values -}}
{{- $reroute := add (include "otelcol.ceilSeconds" $v.loadBalancing.dnsRecordTtl | int) (include "otelcol.ceilSeconds" $v.loadBalancing.dnsInterval | int) -}}
{{- add $reroute (include "otelcol.ceilSeconds" $v.sampling.decisionWait | int) (include "otelcol.ceilSeconds" $v.batch.timeout | int) 3 -}}
{{- end -}}

{{- define "otelcol.gomemlimit" -}}
{{- $mib := include "otelcol.memoryLimitMiB" .limit | int -}}
{{- printf "%dMiB" (div (mul $mib .percent) 100) -}}
{{- end -}}

{{/* Pod-level security context: the contrib image runs as UID 10001. */}}
{{- define "otelcol.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "otelcol.containerSecurityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "otelcol.topologySpread" -}}
- maxSkew: 1
  topologyKey: topology.kubernetes.io/zone
  whenUnsatisfiable: {{ .root.Values.topologySpread.zone }}
  labelSelector:
    matchLabels:
      {{- include "otelcol.selectorLabels" . | nindent 6 }}
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: {{ .root.Values.topologySpread.node }}
  labelSelector:
    matchLabels:
      {{- include "otelcol.selectorLabels" . | nindent 6 }}
{{- end -}}
