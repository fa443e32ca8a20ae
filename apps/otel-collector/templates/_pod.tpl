{{/*
Pod template of a tier: (dict "root" $ "tier" "<tier>"). The receiving tier mounts the TLS Secret;
tiers exporting to Tempo mount the queue volume (a volumeClaimTemplate of their StatefulSet).
*/}}
{{- define "otelcol.podTemplate" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $t := index $v.tiers .tier -}}
{{- $receiving := eq .tier (include "otelcol.receivingTier" $root) -}}
{{- $exporting := eq .tier (include "otelcol.exportingTier" $root) -}}
{{- $tls := and $receiving $v.tls.enabled -}}
metadata:
  labels:
    {{- include "otelcol.labels" . | nindent 4 }}
  annotations:
    # Roll the pods when their config changes.
    checksum/config: {{ include "otelcol.config" . | sha256sum }}
spec:
  serviceAccountName: {{ include "otelcol.tierName" . }}
  {{- if $receiving }}
  # k8s_attributes reads pods, namespaces and replicasets from the API with this token.
  automountServiceAccountToken: true
  {{- else }}
  automountServiceAccountToken: false
  {{- end }}
  securityContext:
    {{- include "otelcol.podSecurityContext" . | nindent 4 }}
  {{- if include "otelcol.replicated" . }}
  topologySpreadConstraints:
    {{- include "otelcol.topologySpread" . | nindent 4 }}
  {{- end }}
  {{- with $v.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  {{- with $v.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if eq .tier "gateway" }}
  # The drain below, then a minute for the exporters to hand over what they hold on shutdown.
  terminationGracePeriodSeconds: {{ add (include "otelcol.gatewayDrainSeconds" $root | int) 60 }}
  {{- else }}
  # Give the exporters time to drain their in-memory queues on shutdown.
  terminationGracePeriodSeconds: 60
  {{- end }}
  containers:
    - name: otelcol
      image: {{ printf "%s:%s" $v.image.repository $v.image.tag }}
      imagePullPolicy: {{ $v.image.pullPolicy }}
      args:
        - --config=/etc/otelcol/config.yaml
      env:
        - name: MY_POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        - name: GOMEMLIMIT
          value: {{ include "otelcol.gomemlimit" (dict "limit" $t.resources.limits.memory "percent" (int $v.goMemLimitPercentage)) | quote }}
      ports:
        {{- if eq .tier "gateway" }}
        - {name: otlp-grpc, containerPort: 4317, protocol: TCP}
        {{- else }}
        - {name: otlp-grpc, containerPort: 4317, protocol: TCP}
        - {name: otlp-http, containerPort: 4318, protocol: TCP}
        {{- end }}
        - {name: metrics, containerPort: {{ $v.telemetry.metricsPort }}, protocol: TCP}
        - {name: health, containerPort: 13133, protocol: TCP}
      {{- if eq .tier "gateway" }}
      # Leaving the headless Service, the pod keeps deciding the traces it holds while the fronts
      # route new spans elsewhere; only then is it told to stop (otelcol.gatewayDrainSeconds).
      lifecycle:
        preStop:
          sleep:
            seconds: {{ include "otelcol.gatewayDrainSeconds" $root }}
      {{- end }}
      readinessProbe:
        httpGet: {path: /, port: health}
        periodSeconds: 10
        failureThreshold: 3
      livenessProbe:
        httpGet: {path: /, port: health}
        initialDelaySeconds: 15
        periodSeconds: 20
        failureThreshold: 3
      resources:
        {{- toYaml $t.resources | nindent 8 }}
      securityContext:
        {{- include "otelcol.containerSecurityContext" . | nindent 8 }}
      volumeMounts:
        - {name: config, mountPath: /etc/otelcol/config.yaml, subPath: config.yaml, readOnly: true}
        {{- if $tls }}
        - {name: tls, mountPath: {{ include "otelcol.tlsDir" . }}, readOnly: true}
        {{- end }}
        {{- if $exporting }}
        - {name: queue, mountPath: {{ include "otelcol.queueDir" . }}}
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "otelcol.tierName" . }}
    {{- if $tls }}
    - name: tls
      secret:
        secretName: {{ $v.tls.secretName }}
    {{- end }}
{{- end -}}
