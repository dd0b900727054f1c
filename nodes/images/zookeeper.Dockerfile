# ZooKeeper 3.8 from Debian's zookeeper package with a headless JRE, on the offline base image.
# The harness writes each member's zoo.cfg and myid at start (see Systems/ZooKeeper.cs).
ARG BASE_IMAGE=coup/base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends zookeeper openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/* && mkdir -p /data
EXPOSE 2181 2888 3888 8080
