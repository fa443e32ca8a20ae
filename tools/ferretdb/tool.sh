# Sourced by tools/bootstrap.sh (on first use: the SDK's mongodb test builds it).
# FerretDB is a MongoDB wire-protocol server; on its SQLite handler it needs nothing else. The
# SDK's mongodb test runs the real MongoDB driver against it on 127.0.0.1 (MongoDB itself is not
# packaged by Debian). Built through this folder's main.go (FerretDB's embeddable package): its
# own command refuses to start without the version files only its release build writes.
TOOL_NAME=ferretdb
TOOL_VERSION=v1.24.2
TOOL_PACKAGE=greenlang.io/obs003/tools/ferretdb
TOOL_ON_DEMAND=1
# Nothing to stamp; bootstrap.sh expects the setting to exist.
TOOL_LDFLAGS=""
