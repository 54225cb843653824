#!/bin/sh
# Run a command with no network but loopback, to prove it needs none.
#
#   scripts/offline.sh COMMAND [ARG...]
#
# Where unshare(1) and ip(8) are available and the kernel allows a user namespace, the command
# runs in a fresh network namespace whose only interface is loopback (brought up, so a Jupyter
# kernel can still talk to its client on 127.0.0.1): any attempt to reach another host fails
# with "Network is unreachable". Where that is not possible, one line on stderr says so and the
# command runs as it is, so a fresh machine can still build and test.
#
# The command's exit code is passed through. PROXYLENS_OFFLINE tells the command which case it
# is in: "isolated" or "not-isolated".
set -u

if [ "$#" -eq 0 ]; then
    echo "usage: scripts/offline.sh COMMAND [ARG...]" >&2
    exit 2
fi

# ip(8) often lives in an sbin directory that is not on an ordinary user's PATH.
PATH="$PATH:/usr/sbin:/sbin"
export PATH

# Probe first: unshare may exist yet be refused (user namespaces disabled or restricted).
if command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 \
    && unshare -rn sh -c 'ip link set lo up' >/dev/null 2>&1; then
    PROXYLENS_OFFLINE=isolated
    export PROXYLENS_OFFLINE
    # -r maps the caller to root inside the namespace, which is what lets it bring loopback up.
    exec unshare -rn sh -c 'ip link set lo up && exec "$@"' offline.sh "$@"
fi

echo "offline.sh: cannot isolate the network here (needs unshare, ip and user namespaces); running without isolation" >&2
PROXYLENS_OFFLINE=not-isolated
export PROXYLENS_OFFLINE
exec "$@"
