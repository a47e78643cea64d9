#!/usr/bin/env bash
# Builds the two stand-in libraries into OUT (see README.md).
# Usage: build.sh OUT
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out"
cc -shared -fPIC -Os -s -Wl,-z,noseparate-code -Wall -Wextra -o "$out/libgssapi_krb5.so.2" -Wl,-soname,libgssapi_krb5.so.2 \
  -Wl,--version-script,"$here/gssapi.map" "$here/gssapi_stub.c"
cc -shared -fPIC -Os -s -Wl,-z,noseparate-code -Wall -Wextra -o "$out/libldap-2.5.so.0" -Wl,-soname,libldap-2.5.so.0 \
  -Wl,--version-script,"$here/ldap.map" "$here/ldap_stub.c"
