#!/usr/bin/env bash
# Publishes rglens as one self-contained linux-x64 executable, dist/rglens: no .NET runtime is
# needed on the target machine (the native libraries of ONNX Runtime and SkiaSharp are bundled
# inside and extracted on first run). Usage: scripts/publish.sh [output folder, default dist]
#
# IL3000 stays a warning here (the build treats warnings as errors): `rglens sweep` reads
# Assembly.Location only when it runs as `dotnet rglens.dll`, which a single-file rglens never is.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"
dotnet publish src/RgLens.Cli -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
  -p:WarningsNotAsErrors=IL3000 \
  -o "$out"
"$out/rglens" --version
