# syntax=docker/dockerfile:1.7
# Multi-stage build of the IdVerify API with sha256-verified models baked in.
#
#   docker build -t idverify .                                              # models from the manifest's origin URLs
#   docker build --build-context model-source=../shared/models -t idverify .  # models from a local folder (offline)
#   docker run -p 8080:8080 -v idverify-data:/data idverify

ARG DOTNET_VERSION=10.0

# Empty unless replaced with --build-context model-source=<folder of model files>.
FROM scratch AS model-source

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig IdVerify.sln ./
COPY src/ src/
RUN dotnet restore src/IdVerify.Api/IdVerify.Api.csproj \
 && dotnet restore src/IdVerify.Cli/IdVerify.Cli.csproj
RUN dotnet publish src/IdVerify.Api/IdVerify.Api.csproj -c Release --no-restore -o /out/api \
 && dotnet publish src/IdVerify.Cli/IdVerify.Cli.csproj -c Release --no-restore -o /out/cli

FROM build AS models
COPY models/manifest.json /out/models/manifest.json
# Pull every default-bundle file: from the source folder when one was given, else from the origins; each is
# checked against the manifest's sha256 and a mismatch fails the build.
RUN --mount=type=bind,from=model-source,target=/model-source \
    dotnet /out/cli/idverify.dll models pull --models /out/models --source /model-source \
      yunet-2026may mobilefacenet-paddlex-128d minifasnet-v2-2.7 minifasnet-v1se-4.0

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
WORKDIR /app
COPY --from=build /out/api ./
COPY --from=models /out/models ./models
RUN mkdir -p /data && chown app:app /data
USER app
# Swaps and registered models are recorded on the data volume: /app is read-only to the app user.
ENV Urls=http://+:8080 \
    Models__Directory=/app/models \
    Models__ActiveFile=/data/active.json \
    Models__LocalManifest=/data/local-manifest.json \
    Storage__SqlitePath=/data/idverify.db
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["dotnet", "IdVerify.Api.dll"]
