# The reaper: removes a run's containers and network when the harness that started it is gone
# (harness/Coup.Reaper, published self-contained and trimmed). It needs nothing from Debian but
# what the base image has; it reaches the engine through the socket the harness mounts.
ARG BASE_IMAGE=coup/base:bookworm
FROM ${BASE_IMAGE}
COPY publish/ /opt/coup-reaper/
ENV DOTNET_gcServer=0
EXPOSE 8080
ENTRYPOINT ["/opt/coup-reaper/coup-reaper"]
