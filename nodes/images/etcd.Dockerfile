# etcd 3.4 from Debian's etcd-server on the offline base image. The harness starts each member
# with its flags (see harness/Coup.Harness/Systems/Etcd.cs); data lives in /data so a killed and
# restarted member comes back with its log and term.
ARG BASE_IMAGE=coup/base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends etcd-server \
    && rm -rf /var/lib/apt/lists/* && mkdir -p /data
EXPOSE 2379 2380
