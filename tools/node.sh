#!/bin/sh
# Runs the project's Node.js with the pinned Go-built tools on PATH. Every npm script goes through
# this, so `npm run …` works even where the machine's own node (and the npm that started the
# script) is older than the project needs: tools/bootstrap.sh installs the pinned Node 24 into
# .tools/node/ on such machines, and this prefers it.
ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
PATH="$ROOT/.tools/bin:$PATH"
if [ -x "$ROOT/.tools/node/bin/node" ]; then PATH="$ROOT/.tools/node/bin:$PATH"; fi
export PATH
case "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" in
  2[2-9] | [3-9][0-9]) ;;
  *) echo "tools/node.sh: Node.js 22.15+ is required (found $(node --version 2>/dev/null || echo none)); run: bash tools/bootstrap.sh" >&2; exit 2 ;;
esac
exec node "$@"
