#!/bin/sh
# Solarpunk Mesh: bring batman-adv up (or down) on a wireless interface.
# POSIX sh: runs under bash, dash and OpenWrt's busybox ash.
#
# Exit codes: 0 ok, 1 a command failed, 2 usage error, 3 batctl missing,
#             4 batman_adv kernel module unavailable, 5 iw missing, 6 interface missing.
set -u

SYSFS=${SOLARPUNK_SYSFS:-/sys}
ACTION=""
IFACE=""
MESH=bat0
MODE=adhoc
SSID=solarpunk-mesh
FREQ=2462
CELL=02:ca:fe:5a:1a:00
ADDR=""
GW=""
MTU=1532
DRY=0
AP_IFACE=""
AP_ADDR=""
NAME=""
DHCP=""

usage() {
  cat <<'USAGE'
Usage:
  setup.sh up   --iface IFACE [--mode adhoc|mesh|none] [--ssid SSID] [--freq MHZ]
                [--mesh-iface bat0] [--addr 10.42.0.1/16] [--gw-mode client|server|off]
                [--mtu 1532] [--dry-run]
  setup.sh down --iface IFACE [--mesh-iface bat0] [--dry-run]
  setup.sh check
  setup.sh dns  --ap-iface IFACE --ap-addr 10.42.0.1 --name mesh.lan
                [--dhcp-range 10.42.0.50,10.42.0.250]

  up      join IFACE to the mesh (IBSS ad-hoc or 802.11s mesh point; 'none' leaves the radio
          as configured elsewhere, e.g. by OpenWrt UCI), add it to batman-adv, bring the mesh
          interface up, give it an address and optionally set the gateway mode.
  down    remove IFACE from batman-adv, destroy the mesh interface and return IFACE to managed.
  check   only verify that batctl and the batman_adv kernel module are available.
  dns     print a dnsmasq configuration for the island's access point that answers NAME with the
          relay's fixed address AP_ADDR and hands that server to phones by DHCP. Use the same NAME
          and AP_ADDR on every island: phones then open one origin everywhere (their data and the
          installed app belong to it). Install the output as /etc/dnsmasq.d/solarpunk.conf.
  --dry-run  print each command instead of running it (checks still run).

Steps whose result is already in place are skipped, so running 'up' twice is harmless.
Exit codes: 0 ok, 1 command failed, 2 usage, 3 batctl missing, 4 batman_adv module
unavailable, 5 iw missing, 6 interface missing.
USAGE
}

die() { code=$1; shift; echo "setup.sh: $*" >&2; exit "$code"; }
say() { echo "# $*"; }

run() {
  if [ "$DRY" = 1 ]; then echo "$*"; return 0; fi
  "$@" || die 1 "command failed: $*"
}

# Like run, but a failure only warns (e.g. drivers that refuse the larger MTU still work).
run_soft() {
  if [ "$DRY" = 1 ]; then echo "$*"; return 0; fi
  "$@" || echo "setup.sh: warning: '$*' failed; continuing" >&2
}

have() { command -v "$1" >/dev/null 2>&1; }

need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die 2 "option $1 needs a value"; }

parse_args() {
  [ $# -ge 1 ] || { usage >&2; exit 2; }
  case "$1" in
    up|down|check|dns) ACTION=$1 ;;
    -h|--help|help) usage; exit 0 ;;
    *) usage >&2; die 2 "unknown action: $1" ;;
  esac
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --iface) need_value "$@"; IFACE=$2; shift ;;
      --mesh-iface) need_value "$@"; MESH=$2; shift ;;
      --mode) need_value "$@"; MODE=$2; shift ;;
      --ssid) need_value "$@"; SSID=$2; shift ;;
      --freq) need_value "$@"; FREQ=$2; shift ;;
      --addr) need_value "$@"; ADDR=$2; shift ;;
      --gw-mode) need_value "$@"; GW=$2; shift ;;
      --mtu) need_value "$@"; MTU=$2; shift ;;
      --ap-iface) need_value "$@"; AP_IFACE=$2; shift ;;
      --ap-addr) need_value "$@"; AP_ADDR=$2; shift ;;
      --name) need_value "$@"; NAME=$2; shift ;;
      --dhcp-range) need_value "$@"; DHCP=$2; shift ;;
      --dry-run) DRY=1 ;;
      -h|--help) usage; exit 0 ;;
      *) die 2 "unknown option: $1 (see --help)" ;;
    esac
    shift
  done
  validate
}

validate_dns() {
  [ -n "$AP_IFACE" ] || die 2 "--ap-iface is required"
  [ -n "$AP_ADDR" ] || die 2 "--ap-addr is required"
  [ -n "$NAME" ] || die 2 "--name is required"
  case "$AP_IFACE" in *[!A-Za-z0-9._-]*) die 2 "bad interface name: $AP_IFACE" ;; esac
  case "$AP_ADDR" in *[!0-9.]*|*.*.*.*.*) die 2 "--ap-addr must be an IPv4 address like 10.42.0.1" ;; *.*.*.*) ;; *) die 2 "--ap-addr must be an IPv4 address like 10.42.0.1" ;; esac
  # A host name of letters, digits, dashes and dots; no trailing dot, no empty label.
  case "$NAME" in *[!A-Za-z0-9.-]*|.*|*.|*..*|"") die 2 "--name must be a host name like mesh.lan" ;; esac
  case "$DHCP" in ""|*[!0-9.,]*) [ -z "$DHCP" ] || die 2 "--dhcp-range must look like 10.42.0.50,10.42.0.250" ;; *.*.*.*,*.*.*.*) ;; *) die 2 "--dhcp-range must look like 10.42.0.50,10.42.0.250" ;; esac
}

validate() {
  if [ "$ACTION" = dns ]; then validate_dns; return; fi
  if [ "$ACTION" != check ] && [ -z "$IFACE" ]; then die 2 "--iface is required"; fi
  case "$MODE" in adhoc|mesh|none) ;; *) die 2 "--mode must be adhoc, mesh or none" ;; esac
  case "$GW" in ""|client|server|off) ;; *) die 2 "--gw-mode must be client, server or off" ;; esac
  case "$FREQ" in *[!0-9]*|"") die 2 "--freq must be a frequency in MHz, e.g. 2462" ;; esac
  case "$MTU" in *[!0-9]*|"") die 2 "--mtu must be a number" ;; esac
  case "$ADDR" in ""|*.*.*.*/*) ;; *) die 2 "--addr must look like 10.42.0.1/16" ;; esac
  for n in "$IFACE" "$MESH"; do
    case "$n" in *[!A-Za-z0-9._-]*) die 2 "bad interface name: $n" ;; esac
  done
}

module_loaded() { [ -d "$SYSFS/module/batman_adv" ]; }

module_available() {
  module_loaded && return 0
  if have modprobe; then modprobe -n batman_adv >/dev/null 2>&1 && return 0; fi
  ls /lib/modules/"$(uname -r)"/kernel/net/batman-adv/batman-adv.ko* >/dev/null 2>&1
}

check_tools() {
  have batctl || die 3 "batctl not found on PATH. Install it: 'apt-get install batctl' (Debian, Raspberry Pi OS), 'opkg install batctl-default' (OpenWrt)."
  module_available || die 4 "the batman_adv kernel module is not available for kernel $(uname -r). Install it (Debian/Raspberry Pi OS ship it in the stock kernel; OpenWrt: 'opkg install kmod-batman-adv'; Android needs a kernel built with CONFIG_BATMAN_ADV) and retry."
}

iface_exists() { [ -e "$SYSFS/class/net/$1" ]; }
enslaved() { [ "$(basename "$(readlink "$SYSFS/class/net/$IFACE/master" 2>/dev/null)" 2>/dev/null)" = "$MESH" ]; }
is_up() { [ "$(cat "$SYSFS/class/net/$1/operstate" 2>/dev/null)" != down ] && iface_exists "$1"; }
has_addr() { ip -4 -o addr show dev "$MESH" 2>/dev/null | grep -q " ${ADDR%/*}/"; }

join_radio() {
  have iw || die 5 "iw not found on PATH; install iw, or configure the radio yourself and use --mode none"
  run ip link set "$IFACE" down
  if [ "$MODE" = adhoc ]; then
    run iw dev "$IFACE" set type ibss
  else
    run iw dev "$IFACE" set type mp
  fi
  run_soft ip link set "$IFACE" mtu "$MTU"
  run ip link set "$IFACE" up
  if [ "$MODE" = adhoc ]; then
    run iw dev "$IFACE" ibss join "$SSID" "$FREQ" HT20 fixed-freq "$CELL"
  else
    run iw dev "$IFACE" mesh join "$SSID" freq "$FREQ"
    # batman-adv routes; 802.11s forwarding underneath would route twice.
    run iw dev "$IFACE" set mesh_param mesh_fwding 0
  fi
}

do_up() {
  iface_exists "$IFACE" || die 6 "interface $IFACE does not exist (see 'ip link')"
  if module_loaded; then say "batman_adv module already loaded"; else run modprobe batman_adv; fi
  if enslaved; then
    say "$IFACE already in $MESH; radio left as is"
  else
    if [ "$MODE" = none ]; then say "radio of $IFACE left as configured (--mode none)"; else join_radio; fi
    run batctl meshif "$MESH" interface add "$IFACE"
  fi
  if is_up "$MESH"; then say "$MESH already up"; else run ip link set "$MESH" up; fi
  if [ -n "$ADDR" ]; then
    if has_addr; then say "$MESH already has $ADDR"; else run ip addr add "$ADDR" dev "$MESH"; fi
  fi
  if [ -n "$GW" ]; then run batctl meshif "$MESH" gw_mode "$GW"; fi
}

do_down() {
  if ! iface_exists "$MESH"; then say "$MESH does not exist; nothing to tear down"; return 0; fi
  run ip link set "$MESH" down
  if enslaved; then run batctl meshif "$MESH" interface del "$IFACE"; else say "$IFACE not in $MESH"; fi
  run batctl meshif "$MESH" interface destroy
  if iface_exists "$IFACE" && have iw; then
    run ip link set "$IFACE" down
    run_soft iw dev "$IFACE" set type managed
  fi
}

do_dns() {
  net=${AP_ADDR%.*}
  range=${DHCP:-$net.50,$net.250}
  cat <<CONF
# Solarpunk Mesh: dnsmasq for the island access point on $AP_IFACE (made by native-bridge/setup.sh dns).
# Every island uses the same name and address, so phones open one origin everywhere.
interface=$AP_IFACE
bind-interfaces
# The relay's name answers with this island's relay, and nothing else leaves the island.
address=/$NAME/$AP_ADDR
no-resolv
dhcp-range=$range,12h
dhcp-option=option:router,$AP_ADDR
dhcp-option=option:dns-server,$AP_ADDR
# Check: from a phone on this Wi-Fi, http(s)://$NAME/api/info answers; on the node: dig @$AP_ADDR $NAME
CONF
}

parse_args "$@"
if [ "$ACTION" = dns ]; then do_dns; exit 0; fi
check_tools
case "$ACTION" in
  check) say "batctl and batman_adv are available" ;;
  up) do_up ;;
  down) do_down ;;
esac
