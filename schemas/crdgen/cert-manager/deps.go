// Package deps only pins the API package controller-gen reads; nothing is built from it.
package deps

import _ "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
