#!/usr/bin/env bash
# Installs the real servers and clients the test suite starts (Debian packages)
# when they are missing. Needs root and apt-get; otherwise lists what is missing.
set -euo pipefail

# binary:package pairs; the binary's presence says the package is installed.
needs=(
  "mariadbd:mariadb-server"
  "nats-server:nats-server"
  "dockerd:docker.io"
  "busybox:busybox-static"
  "debootstrap:debootstrap"
  "git:git"
  "systemd-analyze:systemd"
  "qpdf:qpdf"
  "pngcheck:pngcheck"
  "dig:bind9-dnsutils"
  "unbound:unbound"
  "nginx:nginx-light"
  "nsd:nsd"
  "curl:curl"
  "tar:tar"
  "djpeg:libjpeg-turbo-progs"
  "gif2rgb:giflib-tools"
  "xmllint:libxml2-utils"
  "ssh-keygen:openssh-client"
  "sshd:openssh-server"
  "sshpass:sshpass"
  "nmap:nmap"
  "unshare:util-linux"
  "ip:iproute2"
  "chromium:chromium"
  "vsftpd:vsftpd"
  "telnetd:inetutils-telnetd"
  "mariadb:mariadb-client"
  "mariadb-dump:mariadb-client"
  "systemd-sysusers:systemd"
  "useradd:passwd"
  "socat:socat"
  "smbd:samba"
  "smbclient:smbclient"
  "/usr/lib/dovecot/imap:dovecot-imapd"
  "/usr/lib/dovecot/pop3:dovecot-pop3d"
  "fetchmail:fetchmail"
  "rsyslogd:rsyslog"
  "openssl:openssl"
  "p0f:p0f"
  "tcpdump:tcpdump"
  "hping3:hping3"
  "nft:nftables"
  "xfreerdp:freerdp2-x11" "xvfb-run:xvfb"
)
# Benchmark tools (`deno task bench`), not test dependencies: installed only
# with --bench; the bench scripts skip what is missing.
bench_needs=(
  "dnsperf:dnsperf"
  "wrk:wrk"
)
[ "${1:-}" = "--bench" ] && needs+=("${bench_needs[@]}")

missing=()
for pair in "${needs[@]}"; do
  bin="${pair%%:*}"; pkg="${pair#*:}"
  if ! PATH="$PATH:/usr/sbin:/sbin" command -v "$bin" >/dev/null 2>&1 && [ ! -x "/bin/$bin" ]; then
    missing+=("$pkg")
  fi
done
# python3-impacket installs no binary: its examples folder marks it installed.
[ -d /usr/share/doc/python3-impacket/examples ] || missing+=("python3-impacket")
# Neither installs a binary: rsyslog's TLS driver is a module, aiosmtpd a Python package.
compgen -G "/usr/lib/*/rsyslog/lmnsd_gtls.so" >/dev/null || missing+=("rsyslog-gnutls")
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || missing+=("python3-aiosmtpd")
# python3-scapy likewise: its package folder marks it installed.
[ -d /usr/lib/python3/dist-packages/scapy ] || missing+=("python3-scapy")
# libpcap0.8 (the sniffer's capture library, loaded over FFI) installs no binary either.
ldconfig -p 2>/dev/null | grep -q "libpcap\.so\.0\.8 " || missing+=("libpcap0.8")
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing test dependencies (install them, e.g. apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "Installing test dependencies: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
# Debian starts services on install; our tests start private instances instead.
for svc in mariadb unbound nats-server docker containerd nginx nsd vsftpd smbd nmbd samba-ad-dc dovecot ssh rsyslog; do
  (systemctl stop "$svc" || service "$svc" stop) >/dev/null 2>&1 || true
done
