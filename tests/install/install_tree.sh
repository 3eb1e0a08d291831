#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The installed tree works on its own: `cmake --install` into an empty prefix, then everything a
# user gets is checked there — libnsgnic (shared with its SONAME link, static), every public
# header compiles alone, nsgnic.pc, the programs, man pages, bash completion, the firmware image —
# and examples/api is built against it through pkg-config (a separate CMake project) and run:
# a verify query on the example deployment and, where the library has the co-simulated NIC,
# packets through it; verify_query is also linked statically (pkg-config --static).
# Usage: install_tree.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build="$1"; src="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"
prefix="$work/prefix"
fail() { echo "install_tree: $*" >&2; exit 1; }
cmake --install "$build" --prefix "$prefix" > "$work/install.log"
libdir="$(cd "$prefix" && { ls -d lib/*/pkgconfig lib/pkgconfig 2>/dev/null || true; } | head -1)"
libdir="${libdir%/pkgconfig}"
[ -n "$libdir" ] || fail "no lib/.../pkgconfig in $prefix"
for f in "$libdir/libnsgnic.so" "$libdir/libnsgnic.so.0" "$libdir/libnsgnic.a" "$libdir/pkgconfig/nsgnic.pc" \
         bin/nsgnic bin/nsgnic-mkpcap share/man/man1/nsgnic.1 share/man/man1/nsgnic-run.1 \
         share/man/man1/nsgnic-verify.1 share/bash-completion/completions/nsgnic \
         include/nsgnic/nsgnic.h include/nsgnic/device.h include/nsgnic/driver.h include/nsgnic/abi.h; do
  [ -e "$prefix/$f" ] || fail "$f not installed"
done
soname="$(objdump -p "$prefix/$libdir/libnsgnic.so" | awk '/SONAME/ {print $2}')"
[ "$soname" = libnsgnic.so.0 ] || fail "SONAME is '$soname', not libnsgnic.so.0"
# only the API is exported
if nm -D --defined-only "$prefix/$libdir/libnsgnic.so" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v '^nsg' | grep -q .; then
  fail "libnsgnic.so exports symbols outside nsg_*/nsgnic_*"
fi
# every public header on its own, with the installed include dir only
for h in "$prefix"/include/nsgnic/*.h; do
  echo "#include <nsgnic/$(basename "$h")>" | cc -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$prefix/include" -x c - \
    || fail "$(basename "$h") does not compile on its own"
done
# the man pages render, the completion loads
for m in "$prefix"/share/man/man1/*.1; do
  grep -q '^\.TH ' "$m" || fail "$m is not a man page"
done
bash -c "source '$prefix/share/bash-completion/completions/nsgnic' && complete -p nsgnic" >/dev/null \
  || fail "bash completion does not load"
"$prefix/bin/nsgnic" --version | grep '^nsgnic [0-9]' >/dev/null || fail "installed nsgnic --version"
# the examples, through pkg-config only
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
pkg-config --exists nsgnic || fail "pkg-config does not find nsgnic"
cmake -S "$src/examples/api" -B "$work/examples" -G Ninja > "$work/examples.log" 2>&1 || { cat "$work/examples.log"; fail "configuring examples/api"; }
cmake --build "$work/examples" >> "$work/examples.log" 2>&1 || { cat "$work/examples.log"; fail "building examples/api"; }
ex="$src/examples/three-tier"
cfg=("$ex/vnets.json" "$ex/asgs.json" "$ex/nsgs.json" "$ex/nics.json" "$ex/servicetags.json")
export LD_LIBRARY_PATH="$prefix/$libdir"
out="$("$work/examples/verify_query" "${cfg[@]}" -- nic-db-vm1 inbound tcp 10.10.3.4 11000 10.10.2.4 40000)"
echo "verify_query: $out"
[ "$out" = "Deny by nsg-db-vm1/securityRules/Deny-Vnet-Inbound" ] || fail "verify_query answered '$out'"
ldd "$work/examples/verify_query" | grep "$prefix/$libdir/libnsgnic.so.0" >/dev/null || fail "verify_query is not linked to the installed libnsgnic.so.0"
# statically linked
# shellcheck disable=SC2046
cc -std=c11 -D_POSIX_C_SOURCE=200809L -o "$work/verify_query_static" "$src/examples/api/verify_query.c" \
  $(pkg-config --cflags nsgnic) -L"$prefix/$libdir" -Wl,-Bstatic -lnsgnic -Wl,-Bdynamic \
  $(pkg-config --static --libs nsgnic | sed 's/-lnsgnic\b//; s/-L[^ ]*//g')
ldd "$work/verify_query_static" | grep libnsgnic >/dev/null && fail "verify_query_static uses the shared library"
[ "$("$work/verify_query_static" "${cfg[@]}" -- nic-db-vm1 inbound tcp 10.10.3.4 11000 10.10.2.4 40000)" = "$out" ] \
  || fail "the static verify_query answers differently"
# packets through the co-simulated NIC, with the installed firmware image (found beside the library)
set +e
sout="$(env -u NSGNIC_FIRMWARE "$work/examples/sim_send" "${cfg[@]}" -- 203.0.114.7 10.10.1.4 443 203.0.114.7 10.10.1.4 22 2>&1)"
rc=$?
set -e
echo "$sout"
if [ $rc -eq 77 ]; then
  echo "install_tree: this build has no co-simulated NIC (NSGNIC_HDL=OFF): sim_send skipped"
else
  [ $rc -eq 0 ] || fail "sim_send failed ($rc)"
  [ -e "$prefix/share/nsgnic/nsgnic-fw.elf" ] || fail "the firmware image is not installed"
  echo "$sout" | grep "10.10.1.4:443: allowed (NIC nic-web-vm1, rule nsg-web/securityRules/Allow-Web-Internet)" >/dev/null \
    || fail "sim_send: port 443 not allowed by Allow-Web-Internet"
  echo "$sout" | grep "10.10.1.4:22: denied (NIC nic-web-vm1, rule nsg-web/defaultSecurityRules/DenyAllInBound)" >/dev/null \
    || fail "sim_send: port 22 not denied by DenyAllInBound"
fi
echo "install_tree: ok ($prefix)"
