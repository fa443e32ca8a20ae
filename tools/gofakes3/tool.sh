# Sourced by tools/bootstrap.sh (on first use: the SDK's aws-sdk test builds it).
# gofakes3 is an S3-protocol server with an in-memory backend; the SDK's aws-sdk test sends real
# AWS SDK v3 S3 calls to it on 127.0.0.1 (path-style, dummy credentials), so nothing reaches AWS.
# The module ships its own command (cmd/gofakes3, `-backend memory -host 127.0.0.1:<port>`).
TOOL_NAME=gofakes3
TOOL_VERSION=v1.2.0
TOOL_PACKAGE=github.com/johannesboyne/gofakes3/cmd/gofakes3
TOOL_ON_DEMAND=1
# gofakes3 has no version variable to stamp; bootstrap.sh expects the setting to exist.
TOOL_LDFLAGS=""
