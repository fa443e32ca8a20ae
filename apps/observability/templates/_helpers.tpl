{{/* Recommended labels of every object of the chart; "component" names what the object is. */}}
{{- define "observability.labels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: greenlang-tracing
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
greenlang.io/cluster: {{ .root.Values.cluster.name }}
greenlang.io/environment: {{ .root.Values.cluster.environment }}
{{- end -}}
