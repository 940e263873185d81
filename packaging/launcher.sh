#!/bin/sh
# zimbra-harden on the Node runtime installed beside it: no system node is used or needed.
here=$(dirname "$(readlink -f "$0")")
exec "$here/../runtime/bin/node" "$here/../dist/cli.js" "$@"
