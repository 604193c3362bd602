#!/usr/bin/env bash
# Installs the assisted-service kiosk as a locked-down appliance on Debian 12 or Ubuntu 22.04
# (or newer), as root, from the checkout this script is in:
#
#   sudo ./deploy/install.sh          the kiosk alone on the screen from boot, under cage
#   sudo ./deploy/install.sh --x11    the same on a bare X server, for graphics cage cannot use
#
# It makes the `kiosk` user, copies the app to /opt/assisted-kiosk, installs what the app
# needs (./kiosk.sh setup --appliance), makes the key of the sealed secrets file, and
# enables and starts the kiosk's systemd unit. Safe to run again, for an update too: it
# never replaces the secrets key and changes nothing that is already right.
set -euo pipefail

APP=/opt/assisted-kiosk
KIOSK_USER=kiosk
KIOSK_HOME=/var/lib/assisted-kiosk  # settings: .config/assisted-kiosk, data: .local/share
ETC=/etc/assisted-kiosk
CREDENTIAL=kiosk-secrets-key
UNITS=(assisted-kiosk.service assisted-kiosk-x11.service)
PRINTER_RULES=60-assisted-kiosk-printers.rules
# USB sticks: mounted when inserted, stopped by the kiosk to take one out (deploy/README.md)
USB_RULES=61-assisted-kiosk-usb.rules
USB_UNIT=kiosk-usb-mount@.service
USB_POLKIT=50-assisted-kiosk-usb.rules
# Updates from the hub (deploy/README.md "Updates"): the kiosk hands a checked release over in
# UPDATES; the path unit starts the updater, which trusts only the keys in RELEASE_KEYS
UPDATE_UNITS=(kiosk-update.path kiosk-update.service)
UPDATES="$KIOSK_HOME/updates"
RELEASE_KEYS="$ETC/release-keys"
# cage and the libraries Qt's Wayland platform needs; Xwayland for Qt's X11 fallback
WAYLAND_PACKAGES=(cage libwayland-client0 libwayland-cursor0 libwayland-egl1 xwayland)
X11_PACKAGES=(xserver-xorg-core xserver-xorg-input-libinput xinit x11-xserver-utils)
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export DEBIAN_FRONTEND=noninteractive

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

usage() {
    sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

UNIT=assisted-kiosk.service
PACKAGES=(rsync "${WAYLAND_PACKAGES[@]}")
case "${1:-}" in
    "") ;;
    --x11) UNIT=assisted-kiosk-x11.service; PACKAGES=(rsync "${X11_PACKAGES[@]}") ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
esac

((EUID == 0)) || die "run it as root: sudo $0 $*"
command -v systemctl >/dev/null 2>&1 || die "this machine does not run systemd."
command -v dpkg-query >/dev/null 2>&1 || die "this is not a Debian or Ubuntu system."

# kiosk.sh needs Python 3.11 or newer: it takes the first of python3, python3.13, python3.12
# and python3.11 that is new enough. Ubuntu 22.04's python3 is 3.10, so there it gets
# python3.11 (and its venv module) from Ubuntu's own packages, beside the system python3.
python_new_enough() {
    local candidate
    for candidate in python3 python3.13 python3.12 python3.11; do
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
            && return 0
    done
    return 1
}
if command -v python3 >/dev/null 2>&1 && ! python_new_enough; then
    PACKAGES+=(python3.11 python3.11-venv)
fi

install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)" == ii* ]] \
            || missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    say "Installing ${missing[*]}…"
    apt-get -o DPkg::Lock::Timeout=300 update -q
    apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}"
}

make_user() {
    if ! id "$KIOSK_USER" >/dev/null 2>&1; then
        say "Making the user $KIOSK_USER…"
        useradd --system --create-home --home-dir "$KIOSK_HOME" --shell /usr/sbin/nologin \
            --comment "Assisted-service kiosk" "$KIOSK_USER"
    fi
    # sound through ALSA when there is no sound server; the screen through logind's seat;
    # receipt printers on USB (lp, see deploy/60-assisted-kiosk-printers.rules) and serial
    usermod --append --groups audio,video,lp,dialout "$KIOSK_USER"
    chmod 0700 "$KIOSK_HOME"
}

copy_app() {
    if [[ "$SOURCE" != "$APP" ]]; then
        say "Copying the app to $APP…"
        mkdir -p "$APP"
        # --delete drops files the new version no longer has; the excluded ones stay
        # (and the release slots the updater installed, and the link to the one in use)
        rsync -a --delete --exclude=/.venv --exclude=/.git --exclude=__pycache__ \
            --exclude='*.egg-info' --exclude=.pytest_cache --exclude=/releases \
            --exclude=/current "$SOURCE/" "$APP/"
    fi
    # the app belongs to root: the kiosk user can run it, never change it
    chown -R root:root "$APP"
    chmod -R go-w "$APP"
    say "Installing what the app needs (this can take a few minutes the first time)…"
    "$APP/kiosk.sh" setup --appliance
    # the app's own bytecode, made now by root: the kiosk user cannot write it beside the
    # code, so without this Python would compile every module again at each start
    # (the packages in .venv were compiled by pip as they were installed)
    "$APP/.venv/bin/python" -m compileall -q -x '/(\.venv|releases)/' "$APP"
    # the units run APP/current: this checkout's version from now on (the updater moves the
    # link to a release slot, and back)
    ln -sfn "$APP/.venv" "$APP/current.new" && mv -T "$APP/current.new" "$APP/current"
}

make_update_folders() {
    # the kiosk's spool (only it and root read it), and the region's public release keys:
    # deploy/release-keys/*.pem of this checkout, readable by the kiosk, changed only by root
    install -d -o "$KIOSK_USER" -g "$KIOSK_USER" -m 0700 "$UPDATES"
    install -d -m 0755 "$RELEASE_KEYS"
    local key
    for key in "$APP"/deploy/release-keys/*.pem; do
        [[ -e "$key" ]] && install -m 0644 "$key" "$RELEASE_KEYS/"
    done
    if ! compgen -G "$RELEASE_KEYS/*.pem" >/dev/null; then
        say "No release key in $RELEASE_KEYS: this kiosk refuses every update the hub offers."
    fi
}

make_secrets_key() {
    # The key of the sealed secrets file (hub token, admin PIN hash) on a kiosk without a
    # desktop keyring. Made once, never replaced: a new key would lose every kept secret.
    # others may pass through to release-keys/, never list it nor read the key (0600)
    install -d -m 0711 "$ETC"
    if command -v systemd-creds >/dev/null 2>&1; then
        # encrypted with this machine's own key (and its TPM when it has one): the file
        # is of no use copied to another machine
        local file="$ETC/$CREDENTIAL.cred"
        if [[ ! -s "$file" ]]; then
            say "Making the secrets key ($file)…"
            head -c 32 /dev/urandom | systemd-creds encrypt --name="$CREDENTIAL" - "$file"
            chmod 0600 "$file"
        fi
        rm -f "/etc/systemd/system/$UNIT.d/credential.conf"
    else
        # systemd older than 250 (Ubuntu 22.04): a root-only file, handed over in the clear
        local file="$ETC/$CREDENTIAL"
        if [[ ! -s "$file" ]]; then
            say "Making the secrets key ($file; systemd-creds is not available here)…"
            (umask 077 && head -c 32 /dev/urandom >"$file")
        fi
        mkdir -p "/etc/systemd/system/$UNIT.d"
        printf '[Service]\nLoadCredential=%s:%s\n' "$CREDENTIAL" "$file" \
            >"/etc/systemd/system/$UNIT.d/credential.conf"
    fi
}

enable_unit() {
    local unit
    for unit in "${UNITS[@]}"; do
        install -m 0644 "$APP/deploy/$unit" "/etc/systemd/system/$unit"
    done
    install -m 0644 "$APP/deploy/$PRINTER_RULES" "/etc/udev/rules.d/$PRINTER_RULES"
    install -m 0644 "$APP/deploy/$USB_RULES" "/etc/udev/rules.d/$USB_RULES"
    install -m 0644 "$APP/deploy/$USB_UNIT" "/etc/systemd/system/$USB_UNIT"
    for unit in "${UPDATE_UNITS[@]}"; do
        install -m 0644 "$APP/deploy/$unit" "/etc/systemd/system/$unit"
    done
    install -d -m 0755 /etc/polkit-1/rules.d
    install -m 0644 "$APP/deploy/$USB_POLKIT" "/etc/polkit-1/rules.d/$USB_POLKIT"
    udevadm control --reload 2>/dev/null || true
    # a printer or a stick already plugged in
    udevadm trigger --subsystem-match=usb --subsystem-match=block 2>/dev/null || true
    systemctl daemon-reload
    systemctl enable --quiet pcscd.socket  # the card reader's service (docs/card-reader.md)
    systemctl enable --quiet --now kiosk-update.path  # a release handed over is installed
    systemctl enable --quiet kiosk-update.service  # at boot: an update cut short is checked
    for unit in "${UNITS[@]}"; do
        [[ "$unit" == "$UNIT" ]] || systemctl disable --quiet "$unit" 2>/dev/null || true
    done
    # the kiosk takes tty1 instead of its login prompt, and starts with the graphical boot
    systemctl disable --quiet getty@tty1.service 2>/dev/null || true
    systemctl set-default graphical.target
    systemctl enable --quiet "$UNIT"
}

start_unit() {
    if [[ "$(tty 2>/dev/null || true)" == /dev/tty1 ]]; then
        say "The kiosk starts on this screen at the next boot (sudo reboot)."
    else
        systemctl restart "$UNIT"  # an update: the new version starts now
        say "The kiosk is running on the screen (tty1)."
    fi
    say "Logs: journalctl -u $UNIT     Guide: $APP/deploy/README.md"
}

install_packages
make_user
copy_app
make_secrets_key
make_update_folders
enable_unit
start_unit
