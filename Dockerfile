# meshdoc in a small image.
#
#   docker build -t meshdoc .                      # Alpine + git (~20 MB): every kind of source
#   docker build --target minimal -t meshdoc:min . # scratch (~10 MB): folder and local git sources
#   docker run --rm -v "$PWD:/work" meshdoc build
#
# Why git in the default image: remote git sources are cloned and fetched with the system `git`
# (it brings the user's credentials, SSH keys and proxies), and `meshdoc diff --against` asks git
# for the old file. Folder sources and local repositories are read with gix inside the binary and
# need nothing else: the `minimal` stage is for those.

# Build: Alpine's native target is musl, so the binary is static without a cross toolchain.
FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
ENV RUSTFLAGS="-C target-feature=+crt-static"
RUN cargo build --release --locked --bin meshdoc \
    && strip target/release/meshdoc \
    && ./target/release/meshdoc --version

# The smallest image: the static binary and CA certificates, nothing else.
FROM scratch AS minimal
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /src/target/release/meshdoc /usr/local/bin/meshdoc
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/meshdoc"]
CMD ["--help"]

# The default image: git for remote sources, an unprivileged user.
FROM alpine:3 AS default
RUN apk add --no-cache git ca-certificates openssh-client \
    && adduser -D -u 10001 meshdoc \
    && git config --system --add safe.directory '*'
COPY --from=build /src/target/release/meshdoc /usr/local/bin/meshdoc
USER meshdoc
ENV MESHDOC_CACHE_DIR=/tmp/meshdoc-cache
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/meshdoc"]
CMD ["--help"]
