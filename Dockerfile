# syntax=docker/dockerfile:1.7
# Multi-stage, multi-arch build of the IdVerify API with sha256-verified models baked in.
#
#   docker build -t idverify .                                                  # models from the manifest's origin URLs
#   docker build --build-context model-source=../shared/models -t idverify .    # models from a local folder (offline)
#   docker buildx build --platform linux/amd64,linux/arm64 -t idverify .        # both architectures
#   docker run -p 8080:8080 -v idverify-data:/data idverify
#
# The SDK stages run on the build machine's own architecture and cross-publish for the target's RID (no emulation in
# the build); the same edge/publish and edge/pull-models steps run in CI (tests/IdVerify.Edge.Tests).

ARG DOTNET_VERSION=10.0

# Empty unless replaced with --build-context model-source=<folder of model files>.
FROM scratch AS model-source

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig IdVerify.sln ./
COPY src/ src/
COPY edge/publish edge/pull-models edge/
COPY models/manifest.json models/
# TARGETARCH (amd64, arm64) names the RID; the output is self-contained, so the runtime image needs no .NET.
RUN case "$TARGETARCH" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) echo "unsupported: $TARGETARCH" >&2; exit 1 ;; esac \
 && IDVERIFY_PUBLISH_OUT=/out IDVERIFY_PUBLISH_APPS=api edge/publish "$rid" \
 && mv "/out/$rid/api" /out/api \
 && dotnet publish src/IdVerify.Cli/IdVerify.Cli.csproj -c Release -o /out/cli

FROM build AS models
# Every default-bundle file, from the source folder when one was given, else from the origins; each is checked
# against the manifest's sha256 and a mismatch fails the build. The CLI runs on the build machine's architecture.
RUN --mount=type=bind,from=model-source,target=/model-source \
    IDVERIFY_CLI="dotnet /out/cli/idverify.dll" edge/pull-models /out/models /model-source

FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION} AS runtime
# libjpeg-turbo decodes JPEG uploads (ImageSharp, 1.5x slower, without it). .NET 10's images are Ubuntu 24.04, whose
# package for libturbojpeg.so.0 is libturbojpeg (Debian's is libturbojpeg0).
RUN apt-get update && apt-get install -y --no-install-recommends libturbojpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/api ./
COPY --from=models /out/models ./models
RUN mkdir -p /data && chown app:app /data
# The image's unprivileged user (uid 1654): /app stays read-only to it.
USER app
# Swaps and registered models are recorded on the data volume.
ENV Urls=http://+:8080 \
    Models__Directory=/app/models \
    Models__ActiveFile=/data/active.json \
    Models__LocalManifest=/data/local-manifest.json \
    Models__Offline=true \
    Storage__SqlitePath=/data/idverify.db
VOLUME /data
EXPOSE 8080
# Ready = models loaded and warmed, the store writable, the inference queue not full. The image has no curl: bash's
# /dev/tcp sends the request.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/app/IdVerify.Api"]
