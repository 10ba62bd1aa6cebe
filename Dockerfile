# image-resize container image: one image for every mode (serve, api, worker); the command picks.
#   docker build -t image-resize .
#   docker run -p 8080:8080 -v image-resize-data:/data image-resize          # serve (default)
#   docker run image-resize api --redis redis://redis:6379/0 --host 0.0.0.0 --data-dir /data
# The build stage uses the same Debian 12 packages as a developer machine (scripts/install-deps.sh);
# the runtime stage has only the shared libraries the binary loads. scripts/check-deploy.sh checks
# that the runtime package list below covers every library `ldd` reports for the binary.

# ---- build ------------------------------------------------------------------------------------
FROM debian:12 AS build
WORKDIR /src
# Dependencies first, in their own layer: rebuilt only when the package list changes. The list
# is install-deps.sh's `serve` profile (libzip-dev for src/archive/ among them).
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN bash scripts/install-deps.sh serve && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DIMAGE_RESIZE_TESTS=OFF \
 && cmake --build /build --target image-resize \
 && install -D --strip /build/src/app/image-resize /out/image-resize

# ---- runtime ----------------------------------------------------------------------------------
FROM debian:12-slim
ARG DEBIAN_FRONTEND=noninteractive
# libvips42 pulls in the codecs (libjpeg, libpng, libwebp, libheif with libde265/dav1d/aom, ...);
# libjpeg62-turbo, liblcms2-2, libdeflate0, libwebp7 and libwebpdemux2 are named too:
# src/imaging/ calls them directly.
# libcurl4 is the S3 blob store's HTTP client, ca-certificates its (and TLS Redis') trust store;
# libzip4 writes a batch's ZIP archive (src/archive/); curl is for the HEALTHCHECK only.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libvips42 libjpeg62-turbo liblcms2-2 libdeflate0 libwebp7 libwebpdemux2 \
      libboost-program-options1.81.0 \
      libsqlite3-0 libhiredis0.14 libssl3 libcurl4 libzip4 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*

# A fixed, non-root uid, so a volume or bind mount can be prepared for it (chown 10001).
RUN groupadd --system --gid 10001 image-resize \
 && useradd --system --uid 10001 --gid image-resize --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin image-resize \
 && mkdir -p /data \
 && chown image-resize:image-resize /data

COPY --from=build /out/image-resize /usr/local/bin/image-resize

USER image-resize
WORKDIR /data
# A named volume mounted here starts out owned by image-resize (Docker copies the ownership).
VOLUME ["/data"]
EXPOSE 8080
# /healthz: the process answers HTTP, or HTTPS when run with --tls-cert (not verified: the
# certificate names the public host, not 127.0.0.1). A worker container listens on nothing;
# docker-compose.yml overrides this check for it.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/healthz \
   || curl -fsSk -o /dev/null https://127.0.0.1:8080/healthz
ENTRYPOINT ["image-resize"]
CMD ["serve", "--host", "0.0.0.0", "--data-dir", "/data"]
