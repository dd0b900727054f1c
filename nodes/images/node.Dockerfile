# The node host, a Native AOT binary (published by the harness on the machine that builds the image,
# which needs clang for it), on the offline base image (or debian:bookworm-slim where a registry is
# reachable). libfaketime is preloaded: the harness skews the node's clock by writing
# /etc/coup/faketime, re-read at most once a second: re-reading it on every clock call costs each
# node 15% of a core. The harness stamps a clock fault when the node's clock shows it.
ARG BASE_IMAGE=coup/base:bookworm
FROM ${BASE_IMAGE}
RUN mkdir -p /etc/coup /data && echo "+0" > /etc/coup/faketime
COPY publish/ /opt/coup/
ENV LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 \
    FAKETIME_TIMESTAMP_FILE=/etc/coup/faketime \
    FAKETIME_CACHE_DURATION=1 \
    DOTNET_gcServer=0
EXPOSE 7000 8080
ENTRYPOINT ["/opt/coup/coup-node"]
