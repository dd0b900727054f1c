# Redis 7.0 and Redis Sentinel from Debian's packages, on the offline base image. Each member
# runs one redis-server and one sentinel (see Systems/RedisSentinel.cs).
ARG BASE_IMAGE=coup/base:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends redis-server redis-sentinel \
    && rm -rf /var/lib/apt/lists/* && mkdir -p /data
EXPOSE 6379 26379
