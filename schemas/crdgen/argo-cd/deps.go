// Package deps only pins the API package controller-gen reads; nothing is built from it.
package deps

import _ "github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
