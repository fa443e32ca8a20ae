{{/*
Names, labels and the pod pieces every Tempo workload shares. Ports are constants: other parts of
the platform (the Collector's exporter, Grafana's data source, the NetworkPolicies) depend on them.
*/}}

{{- define "tempo.httpPort" -}}3200{{- end -}}
{{- define "tempo.grpcPort" -}}9095{{- end -}}
{{- define "tempo.gossipPort" -}}7946{{- end -}}
{{- define "tempo.otlpGrpcPort" -}}4317{{- end -}}
{{- define "tempo.otlpHttpPort" -}}4318{{- end -}}

{{/* Object name prefix: the release name, so release "tempo" gives Services tempo, tempo-distributor, … */}}
{{- define "tempo.fullname" -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* Name of one component's objects: "<fullname>-<component>". */}}
{{- define "tempo.componentName" -}}
{{- printf "%s-%s" (include "tempo.fullname" .ctx) .component -}}
{{- end -}}

{{- define "tempo.distributed" -}}
{{- if eq .Values.mode "distributed" -}}true{{- end -}}
{{- end -}}

{{/* Labels on every object. Call with (dict "ctx" $ "component" "<name>"). */}}
{{- define "tempo.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version }}
{{ include "tempo.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Values.image.tag | quote }}
app.kubernetes.io/part-of: greenlang-tracing
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
greenlang.io/cluster: {{ .ctx.Values.cluster.name | quote }}
greenlang.io/environment: {{ .ctx.Values.cluster.environment | quote }}
{{- end -}}

{{/*
The stable subset used in selectors (never add a label here that can change on upgrade). A
zone-aware ingester set adds its zone (call with "zone"), so each zone's StatefulSet and
PodDisruptionBudget select only their own pods while Services still select every ingester.
*/}}
{{- define "tempo.selectorLabels" -}}
app.kubernetes.io/name: tempo
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- with .zone }}
{{ include "tempo.zoneLabel" . }}: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "tempo.zoneLabel" -}}tempo.greenlang.io/zone{{- end -}}

{{/* Zone-aware ingesters: the ring knows zones, and every Tempo container expands ${…} in the config. */}}
{{- define "tempo.zoneAware" -}}
{{- if and (include "tempo.distributed" .) .Values.ingester.zones -}}true{{- end -}}
{{- end -}}

{{/*
The config's placeholder for an ingester's zone. Each zone's pods set the variable; Tempo
2.7.2 has no command-line flag for `ingester.lifecycler.availability_zone` (its ingester applies
the lifecycler's defaults without registering their flags), so the zone reaches it through the
config file, expanded with -config.expand-env=true.
*/}}
{{- define "tempo.zoneEnv" -}}TEMPO_AVAILABILITY_ZONE{{- end -}}

{{/* Pods that take part in the memberlist ring carry this label; the gossip Service selects it. */}}
{{- define "tempo.gossipLabel" -}}
tempo.greenlang.io/gossip-member: "true"
{{- end -}}

{{- define "tempo.image" -}}
{{ printf "%s:%s" .Values.image.repository .Values.image.tag }}
{{- end -}}

{{/* Pod-level security: Tempo's image runs as 10001:10001; fsGroup makes the volumes writable. */}}
{{- define "tempo.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "tempo.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Probes. Readiness is /ready: it turns true once the modules run (and, for ingesters, once the
ring is healthy), so a pod only gets traffic when it can serve it. Liveness is deliberately a TCP
check on the HTTP port: /ready depends on the ring, and restarting ingesters because a peer is
unhealthy would turn one failure into a cascade.
*/}}
{{- define "tempo.probes" -}}
readinessProbe:
  httpGet:
    path: /ready
    port: http-metrics
  initialDelaySeconds: 15
  periodSeconds: 10
  timeoutSeconds: 2
  failureThreshold: 3
livenessProbe:
  tcpSocket:
    port: http-metrics
  initialDelaySeconds: 60
  periodSeconds: 20
  timeoutSeconds: 2
  failureThreshold: 6
{{- end -}}

{{- define "tempo.args" -}}
- -target={{ .target }}
- -config.file=/conf/tempo.yaml
{{- if include "tempo.zoneAware" .ctx }}
{{- /* Every component reads the one config the same way; outside an ingester the zone expands to "" (Tempo's default). */}}
- -config.expand-env=true
{{- end }}
{{- end -}}

{{/* Ports every Tempo container serves: HTTP API and metrics, gRPC. */}}
{{- define "tempo.basePorts" -}}
- name: http-metrics
  containerPort: {{ include "tempo.httpPort" . }}
  protocol: TCP
- name: grpc
  containerPort: {{ include "tempo.grpcPort" . }}
  protocol: TCP
{{- end -}}

{{- define "tempo.gossipContainerPort" -}}
- name: http-memberlist
  containerPort: {{ include "tempo.gossipPort" . }}
  protocol: TCP
{{- end -}}

{{- define "tempo.otlpContainerPorts" -}}
- name: otlp-grpc
  containerPort: {{ include "tempo.otlpGrpcPort" . }}
  protocol: TCP
- name: otlp-http
  containerPort: {{ include "tempo.otlpHttpPort" . }}
  protocol: TCP
{{- end -}}

{{/*
Zone spread first (a zone outage must not take every replica), then node spread.
Call with (dict "ctx" $ "component" "<name>"). A zone's ingester set (with "zone") is pinned to
its zone by node affinity instead, and spreads over that zone's nodes only.
*/}}
{{- define "tempo.topologySpread" -}}
{{- if .zone -}}
affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
        - matchExpressions:
            - key: topology.kubernetes.io/zone
              operator: In
              values: [{{ .zone | quote }}]
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "tempo.selectorLabels" . | nindent 8 }}
{{- else -}}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: {{ .ctx.Values.topologySpread.zoneWhenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "tempo.selectorLabels" . | nindent 8 }}
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "tempo.selectorLabels" . | nindent 8 }}
{{- end }}
{{- end -}}

{{/* Restart pods when the Tempo config changes. */}}
{{- define "tempo.configChecksum" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- end -}}

{{/* A component runs more than one pod (fixed replicas above one, or an HPA). */}}
{{- define "tempo.replicated" -}}
{{- $v := .values -}}
{{- if or (gt (int $v.replicas) 1) (and (hasKey $v "autoscaling") $v.autoscaling.enabled) -}}true{{- end -}}
{{- end -}}

{{/*
The pod template every Tempo workload uses. Arguments (dict):
  ctx        the root context
  component  the app.kubernetes.io/component label (distributor, ingester, …, or "tempo" in monolithic mode)
  target     Tempo's -target
  values     the component's values (resources, terminationGracePeriodSeconds, …)
  gossip     true when the pod joins the memberlist ring
  otlp       true when the pod serves the OTLP receivers
  spread     true to add zone and node topology spread
  dataVolume "emptyDir" (scratch /var/tempo) or "claim" (a volumeClaimTemplate named data)
  dataSizeLimit  emptyDir size limit (optional)
  zone       a zone-aware ingester set's zone (optional): pinned there, and passed to Tempo
*/}}
{{- define "tempo.podTemplate" -}}
{{- $ctx := .ctx -}}
metadata:
  labels:
    {{- include "tempo.labels" (dict "ctx" $ctx "component" .component "zone" .zone) | nindent 4 }}
    {{- if .gossip }}
    {{- include "tempo.gossipLabel" . | nindent 4 }}
    {{- end }}
  annotations:
    {{- include "tempo.configChecksum" $ctx | nindent 4 }}
spec:
  serviceAccountName: {{ $ctx.Values.serviceAccount.name }}
  # Tempo never calls the Kubernetes API; IRSA mounts its own projected token for S3.
  automountServiceAccountToken: false
  enableServiceLinks: false
  securityContext:
    {{- include "tempo.podSecurityContext" $ctx | nindent 4 }}
  terminationGracePeriodSeconds: {{ default $ctx.Values.tempo.terminationGracePeriodSeconds .values.terminationGracePeriodSeconds }}
  {{- if .spread }}
  {{- include "tempo.topologySpread" (dict "ctx" $ctx "component" .component "zone" .zone) | nindent 2 }}
  {{- end }}
  containers:
    - name: {{ .component }}
      image: {{ include "tempo.image" $ctx }}
      imagePullPolicy: {{ $ctx.Values.image.pullPolicy }}
      args:
        {{- include "tempo.args" . | nindent 8 }}
      {{- with .zone }}
      env:
        - name: {{ include "tempo.zoneEnv" $ctx }}
          value: {{ . | quote }}
      {{- end }}
      ports:
        {{- include "tempo.basePorts" $ctx | nindent 8 }}
        {{- if .gossip }}
        {{- include "tempo.gossipContainerPort" $ctx | nindent 8 }}
        {{- end }}
        {{- if .otlp }}
        {{- include "tempo.otlpContainerPorts" $ctx | nindent 8 }}
        {{- end }}
      {{- include "tempo.probes" $ctx | nindent 6 }}
      resources:
        {{- toYaml .values.resources | nindent 8 }}
      securityContext:
        {{- include "tempo.containerSecurityContext" $ctx | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: /conf
          readOnly: true
        - name: data
          mountPath: /var/tempo
  volumes:
    - name: config
      configMap:
        name: {{ include "tempo.componentName" (dict "ctx" $ctx "component" "config") }}
    {{- if eq .dataVolume "emptyDir" }}
    - name: data
      emptyDir:
        sizeLimit: {{ default "1Gi" .dataSizeLimit }}
    {{- end }}
{{- end -}}

{{/* A Service for one component. Arguments: ctx, component, headless, otlp, gossipOnly, name. */}}
{{- define "tempo.service" -}}
{{- $ctx := .ctx -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .name }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- include "tempo.labels" (dict "ctx" $ctx "component" .component) | nindent 4 }}
    {{- if .headless }}
    # Headless discovery Services are not scraped (the component's main Service is).
    tempo.greenlang.io/discovery: "true"
    {{- end }}
spec:
  {{- if .headless }}
  clusterIP: None
  publishNotReadyAddresses: {{ default false .publishNotReady }}
  {{- else }}
  type: ClusterIP
  {{- end }}
  selector:
    {{- include "tempo.selectorLabels" (dict "ctx" $ctx "component" .component) | nindent 4 }}
  ports:
    - name: http-metrics
      port: {{ include "tempo.httpPort" $ctx }}
      targetPort: http-metrics
      protocol: TCP
    - name: grpc
      port: {{ include "tempo.grpcPort" $ctx }}
      targetPort: grpc
      protocol: TCP
      appProtocol: grpc
    {{- if .otlp }}
    - name: otlp-grpc
      port: {{ include "tempo.otlpGrpcPort" $ctx }}
      targetPort: otlp-grpc
      protocol: TCP
      appProtocol: grpc
    - name: otlp-http
      port: {{ include "tempo.otlpHttpPort" $ctx }}
      targetPort: otlp-http
      protocol: TCP
      appProtocol: http
    {{- end }}
{{- end -}}

{{/*
A Deployment for a stateless component. Arguments: those of tempo.podTemplate. With an HPA on,
`replicas` is left out so that Argo CD and the HPA do not fight over it.
*/}}
{{- define "tempo.deployment" -}}
{{- $ctx := .ctx -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "tempo.componentName" (dict "ctx" $ctx "component" .component) }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- include "tempo.labels" (dict "ctx" $ctx "component" .component) | nindent 4 }}
spec:
  {{- if not (and (hasKey .values "autoscaling") .values.autoscaling.enabled) }}
  replicas: {{ .values.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  minReadySeconds: 10
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "tempo.selectorLabels" (dict "ctx" $ctx "component" .component) | nindent 6 }}
  template:
    {{- include "tempo.podTemplate" . | nindent 4 }}
{{- end -}}

{{/*
A StatefulSet whose pods each keep /var/tempo on their own PersistentVolumeClaim. Arguments:
those of tempo.podTemplate plus `replicas`, `persistence` ({size, storageClass}) and, for a
zone's ingester set, `serviceName` (the ingester Service) and `wave` (its Argo CD sync wave).
PVCs are kept when the StatefulSet is deleted or scaled down: a WAL may still hold traces that
were not flushed yet.
*/}}
{{- define "tempo.statefulSet" -}}
{{- $ctx := .ctx -}}
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ .name }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- include "tempo.labels" (dict "ctx" $ctx "component" .component "zone" .zone) | nindent 4 }}
  {{- with .wave }}
  annotations:
    # Argo CD applies this set only once every object of the waves before it is healthy.
    argocd.argoproj.io/sync-wave: {{ . | quote }}
  {{- end }}
spec:
  replicas: {{ .replicas }}
  serviceName: {{ default .name .serviceName }}
  # Ingesters join and leave the ring independently; starting them one by one only slows rollouts.
  podManagementPolicy: Parallel
  revisionHistoryLimit: 5
  minReadySeconds: 10
  updateStrategy:
    type: RollingUpdate
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  selector:
    matchLabels:
      {{- include "tempo.selectorLabels" (dict "ctx" $ctx "component" .component "zone" .zone) | nindent 6 }}
  template:
    {{- include "tempo.podTemplate" . | nindent 4 }}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          {{- include "tempo.selectorLabels" (dict "ctx" $ctx "component" .component "zone" .zone) | nindent 10 }}
      spec:
        accessModes: ["ReadWriteOnce"]
        {{- with .persistence.storageClass }}
        storageClassName: {{ . }}
        {{- end }}
        resources:
          requests:
            storage: {{ .persistence.size }}
{{- end -}}

{{/*
Rules that span several values, which values.schema.json cannot express. Each failure names the
values involved and what would fix it.
*/}}
{{- define "tempo.validate" -}}
{{- $v := .Values -}}
{{- if and (eq $v.mode "distributed") (lt (int $v.ingester.replicas) (int $v.ingester.replicationFactor)) -}}
{{- fail (printf "ingester.replicas (%d) must be at least ingester.replicationFactor (%d): every trace is written to replicationFactor ingesters" (int $v.ingester.replicas) (int $v.ingester.replicationFactor)) -}}
{{- end -}}
{{- $zones := $v.ingester.zones -}}
{{- if and (eq $v.mode "distributed") $zones -}}
{{- if lt (len $zones) (int $v.ingester.replicationFactor) -}}
{{- fail (printf "ingester.zones (%d: %s) must number at least ingester.replicationFactor (%d): a zone-aware ring puts every copy of a trace in another zone" (len $zones) (join ", " $zones) (int $v.ingester.replicationFactor)) -}}
{{- end -}}
{{- if ne (mod (int $v.ingester.replicas) (len $zones)) 0 -}}
{{- fail (printf "ingester.replicas (%d) must be a multiple of the %d ingester.zones: every zone runs the same number of ingesters" (int $v.ingester.replicas) (len $zones)) -}}
{{- end -}}
{{- range $zone := $zones -}}
{{- $set := printf "%s-ingester-%s" (include "tempo.fullname" $) $zone -}}
{{- /* The StatefulSet controller labels pods "<name>-<10-character hash>", and a label value holds 63. */ -}}
{{- if gt (len $set) 52 -}}
{{- fail (printf "ingester StatefulSet %s is %d characters, at most 52: shorten the release name or the zone %s" $set (len $set) $zone) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- range $name := list "distributor" "querier" -}}
{{- $a := (get $v $name).autoscaling -}}
{{- if and $a.enabled (gt (int $a.minReplicas) (int $a.maxReplicas)) -}}
{{- fail (printf "%s.autoscaling.minReplicas (%d) must not exceed %s.autoscaling.maxReplicas (%d)" $name (int $a.minReplicas) $name (int $a.maxReplicas)) -}}
{{- end -}}
{{- end -}}
{{- if gt (int64 $v.limits.burstSizeBytes) 0 -}}
{{- if lt (int64 $v.limits.burstSizeBytes) (int64 $v.limits.rateLimitBytes) -}}
{{- fail (printf "limits.burstSizeBytes (%d) must be at least limits.rateLimitBytes (%d): a burst smaller than the rate refuses steady traffic" (int64 $v.limits.burstSizeBytes) (int64 $v.limits.rateLimitBytes)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
