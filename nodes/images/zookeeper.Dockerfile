# ZooKeeper 3.8 from Debian's zookeeper package with a headless JRE, on the offline base image.
# The harness writes each member's zoo.cfg and myid at start (see Systems/ZooKeeper.cs).
# libfaketime (from the base image) is preloaded into the JVM as into Coup's nodes: the harness
# skews a member's clock by writing /etc/coup/faketime, re-read at most once a second.
ARG BASE_IMAGE=coup/base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends zookeeper openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/* && mkdir -p /data /etc/coup && echo "+0" > /etc/coup/faketime
ENV LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 \
    FAKETIME_TIMESTAMP_FILE=/etc/coup/faketime \
    FAKETIME_CACHE_DURATION=1
EXPOSE 2181 2888 3888 8080
