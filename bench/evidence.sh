#!/bin/sh
# evidence.sh - evidence intake, export and offline verification, side by side with
# the usual tools doing the same work (cp + sha256sum; tar --zstd + sha256sum).
#
#   sh bench/evidence.sh build/irk [MB]
#
# Makes one file of MB megabytes (default 256; half random, half text so that
# compression has something to do) and times, in the same run:
#   intake:  irk evidence add        vs  cp FILE store/ && sha256sum store/FILE
#   intake:  irk evidence add -z     vs  zstd -3 -c FILE > store/FILE.zst && sha256sum FILE
#   export:  irk export              vs  tar --zstd -cf (file + sha256 list)
#   verify:  irk verify BUNDLE       vs  tar --zstd -xf + sha256sum -c
# Wall time and peak memory come from /usr/bin/time.
set -eu
IRK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
MB=${2:-256}
W=$(mktemp -d /tmp/irk-bench-evidence.XXXXXX)
trap 'chmod -R u+w "$W"; rm -rf "$W"' EXIT
cd "$W"
export HOME="$W/home" XDG_CONFIG_HOME="$W/home/.config"
mkdir -p home peer
head -c $((MB * 512 * 1024)) /dev/urandom >disk.img
seq 1 100000000 | head -c $((MB * 512 * 1024)) >>disk.img
"$IRK" id --email bench@example.org >/dev/null
"$IRK" init >/dev/null
"$IRK" open "bench" >/dev/null
sync

t() { # label, command...
	label=$1
	shift
	/usr/bin/time -f "%e %M" -o tm "$@" >/dev/null
	printf '%-44s %8.2f s %8d KiB\n' "$label" "$(cut -d' ' -f1 tm)" "$(cut -d' ' -f2 tm)"
}

echo "file: $MB MB"
t "irk evidence add" "$IRK" evidence add 1 disk.img
t "cp + sha256sum" sh -c 'cp disk.img peer/ && sha256sum peer/disk.img'
t "irk evidence add -z" "$IRK" evidence add -z 1 disk.img --why again
t "zstd -3 + sha256sum" sh -c 'zstd -q -3 -c disk.img >peer/disk.zst && sha256sum disk.img'
t "irk export (re-hash + tar + zstd)" "$IRK" export 1 -o b.irk
t "sha256sum + tar --zstd" sh -c 'sha256sum disk.img >SUMS && tar --zstd -cf peer.tar.zst disk.img SUMS'
mkdir empty x
t "irk verify BUNDLE (offline)" sh -c "cd empty && '$IRK' verify ../b.irk"
t "tar --zstd -xf + sha256sum -c" sh -c 'tar --zstd -xf peer.tar.zst -C x && cd x && sha256sum -c SUMS'
ls -l b.irk peer.tar.zst | awk '{print $5, $9}'
