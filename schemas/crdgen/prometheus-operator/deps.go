// Package deps only pins the API package controller-gen reads; nothing is built from it.
package deps

import _ "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
