#!/usr/bin/env bash
# Regenerates the outputs in docs/tutorial.md by running every command in it (a test in update mode).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build RgLens.slnx -c Release -v quiet >/dev/null
RGLENS_UPDATE_TUTORIAL=1 dotnet test tests/RgLens.Tests -c Release --no-build --filter "FullyQualifiedName~TutorialTests" >/dev/null
echo "docs/tutorial.md regenerated"
