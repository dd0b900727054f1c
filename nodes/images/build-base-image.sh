#!/usr/bin/env bash
# Builds the node base image offline: debootstrap a minimal Debian bookworm with
# the tools the nemesis needs inside each node (iptables, iproute2 for tc,
# libfaketime) and `docker import` it. No registry is contacted; packages come
# from the same Debian mirror the host's apt uses.
set -euo pipefail

image="${1:-${COUP_BASE_IMAGE:-coup/base:bookworm}}"

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image is present"
  exit 0
fi

command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 3; }

mirror="${COUP_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ] && [ -r /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -r /etc/apt/sources.list ]; then
  mirror=$(awk '/^deb / { print $2; exit }' /etc/apt/sources.list)
fi
mirror="${mirror:-http://deb.debian.org/debian}"

root=$(mktemp -d /tmp/coup-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT

echo "debootstrap bookworm from $mirror into $root (a few minutes on first build)"
debootstrap --variant=minbase \
  --include=iptables,iproute2,libfaketime,faketime,procps,ca-certificates,libicu72,libssl3 \
  bookworm "$root" "$mirror" >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
rm -f "$root.log"

# Same sources inside the image, so `apt-get` in a Dockerfile FROM it works.
echo "deb $mirror bookworm main" >"$root/etc/apt/sources.list"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
echo "built base image $image"
