#!/usr/bin/env bash
# The two-command set-up for the assisted-service kiosk.
#
#   ./kiosk.sh run  [ARGS...]         install what is missing, then start the kiosk
#   ./kiosk.sh test [PYTEST ARGS...]  install what is missing, then lint, check the
#                                     layering contract and run the tests headless
#   ./kiosk.sh setup [--appliance]    only install what is missing (--appliance: what a
#                                     kiosk needs to run, no test tools; deploy/install.sh)
#
# Works on a fresh Debian 12 / Ubuntu 22.04+ machine. A second run installs nothing
# and needs no network: system packages are checked with dpkg-query, and the Python
# packages are reinstalled only when pyproject.toml changes.
set -euo pipefail

# System packages the kiosk needs (Qt's xcb/EGL libraries, speech, CJK fonts, a
# virtual screen). This is the only list: add new packages here.
SYSTEM_PACKAGES=(
    python3 python3-venv python3-pip
    libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
    libcups2
    espeak-ng libespeak-ng1 sox
    # writing Chinese: handwriting (zinnia) and pinyin; "a|b": Debian 12's name or Ubuntu 22.04's
    "libzinnia0|libzinnia0v5" tegaki-zinnia-simplified-chinese "libpinyin15|libpinyin13" libpinyin-data
    alsa-utils pulseaudio pulseaudio-utils  # players; the tests' sound server is a null sink
    fonts-noto-cjk
    xvfb xauth
    postgresql  # the hub's tests start a throwaway PostgreSQL server
    pcscd libusb-1.0-0  # card readers (PC/SC); USB receipt printers
    udev "polkitd|policykit-1"  # USB sticks mounted when inserted, taken out by the kiosk
    at-spi2-core dbus-user-session  # screen readers: the accessibility bus, a session bus
    gcc python3-dev libpcsclite-dev swig  # pip builds pyscard from source
    vsmartcard-vpcd python3-virtualsmartcard python3-pycryptodome  # the tests' virtual card
    poppler-utils  # the tests read printed receipts back (pdfinfo, pdftotext, pdfimages)
    chromium  # the tests open the tour's index page in a real browser
    python3-pyatspi  # the tests walk a service as a screen reader does (AT-SPI)
    coturn  # the voice call test relays through a real TURN server (docs/remote-help.md)
)
# Only for the tests and a headless screen: a kiosk appliance leaves them out.
NOT_ON_APPLIANCE=(xvfb xauth postgresql vsmartcard-vpcd python3-virtualsmartcard
                  python3-pycryptodome poppler-utils chromium python3-pyatspi coturn)
APPLIANCE=0
EXTRAS=dev  # the Python extras installed: dev (tests and tools, with the hub) or hub
MIN_PYTHON=(3 11)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
VENV="$ROOT/.venv"
STAMP="$VENV/.kiosk-pyproject.sha256"
export DEBIAN_FRONTEND=noninteractive

say() { printf '%s\n' "$*"; }
die() { printf 'kiosk.sh: %s\n' "$*" >&2; exit 1; }

usage() {
    cat <<EOF
Usage:
  ./kiosk.sh run  [ARGS...]         install what is missing, then start the kiosk
  ./kiosk.sh test [PYTEST ARGS...]  install what is missing, then run ruff,
                                    the import contract and pytest (headless)
  ./kiosk.sh setup [--appliance]    only install what is missing (--appliance:
                                    no test tools; used by deploy/install.sh)
EOF
}

# --- logging ----------------------------------------------------------------
# apt and pip output goes to a log file; the terminal gets one line per stage.
# The log lives in .venv once it exists, in /tmp before that.
LOG=""
open_log() {
    [[ -n "$LOG" ]] && return 0
    if [[ -d "$VENV" ]]; then
        LOG="$VENV/setup.log"
    else
        LOG="$(mktemp "${TMPDIR:-/tmp}/kiosk-setup.XXXXXX.log")"
    fi
    printf '\n=== %s  kiosk.sh %s\n' "$(date '+%F %T')" "$COMMAND" >>"$LOG"
}
move_log_out_of_venv() {  # before .venv is deleted
    if [[ "$LOG" == "$VENV/setup.log" ]]; then
        local tmp
        tmp="$(mktemp "${TMPDIR:-/tmp}/kiosk-setup.XXXXXX.log")"
        cat "$LOG" >>"$tmp" 2>/dev/null || true
        LOG="$tmp"
    fi
}
move_log_into_venv() {
    if [[ -n "$LOG" && "$LOG" != "$VENV/setup.log" && -d "$VENV" ]]; then
        cat "$LOG" >>"$VENV/setup.log" && rm -f "$LOG"
        LOG="$VENV/setup.log"
    fi
}
show_log_tail() {
    printf -- '--- last lines of %s ---\n' "$LOG" >&2
    tail -n 40 "$LOG" >&2
    printf -- '--- end of log ---\n' >&2
}
# logged [-q] CMD...: run CMD with its output in the log; on failure show the
# log's tail (unless -q: the caller decides).
logged() {
    local quiet=0 rc=0
    if [[ "$1" == -q ]]; then quiet=1; shift; fi
    open_log
    printf '$ %s\n' "$*" >>"$LOG"
    "$@" >>"$LOG" 2>&1 </dev/null || rc=$?
    if ((rc != 0 && quiet == 0)); then
        printf 'kiosk.sh: this step failed (exit %d): %s\n' "$rc" "$*" >&2
        show_log_tail
    fi
    return "$rc"
}

# --- system packages ----------------------------------------------------------
is_installed() {  # is_installed PKG or "PKG|OTHER": any of them
    # Ubuntu 24.04+ renamed some libraries with a t64 suffix (libcups2t64).
    local alt p status
    for alt in ${1//|/ }; do
        for p in "$alt" "${alt}t64"; do
            status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)"
            [[ "$status" == ii* ]] && return 0
        done
    done
    return 1
}
pick_package() {  # pick_package "a|b": the first name this system's apt can install
    local alt
    for alt in ${1//|/ }; do
        if apt-cache policy "$alt" 2>/dev/null | grep -q 'Candidate: [^(]'; then
            printf '%s' "$alt"
            return 0
        fi
    done
    printf '%s' "${1%%|*}"  # none: the first, so apt's error names it
}

APT=()
apt_command() {  # apt_command PKG...: how to call apt-get here (PKG... for the message)
    ((${#APT[@]} > 0)) && return 0
    if ((EUID == 0)); then
        APT=(apt-get)
    elif command -v sudo >/dev/null 2>&1; then
        # sudo drops DEBIAN_FRONTEND; -n (never prompt) when there is no terminal.
        if [[ -t 0 ]]; then APT=(sudo); else APT=(sudo -n); fi
        APT+=(env DEBIAN_FRONTEND=noninteractive apt-get)
    else
        say "kiosk.sh: these system packages are missing: $*" >&2
        say "Ask an administrator to install them (as root):" >&2
        say "  apt-get update && apt-get install -y $*" >&2
        say "then run this command again." >&2
        exit 1
    fi
    APT+=(-o DPkg::Lock::Timeout=300)
}
APT_UPDATED=0
apt_update_once() {  # apt_update_once PKG...
    ((APT_UPDATED == 1)) && return 0
    apt_command "$@"
    logged "${APT[@]}" update || die "apt-get update failed (see above)."
    APT_UPDATED=1
}
apt_install() {  # apt_install PKG...: install exactly these packages
    apt_update_once "$@"
    logged "${APT[@]}" install -y --no-install-recommends "$@" \
        || die "could not install system packages: $*"
}

ensure_system_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "kiosk.sh: not a Debian/Ubuntu system; not checking system packages." >&2
        return 0
    fi
    local missing=() p
    for p in "${SYSTEM_PACKAGES[@]}"; do
        ((APPLIANCE == 1)) && [[ " ${NOT_ON_APPLIANCE[*]} " == *" $p "* ]] && continue
        is_installed "$p" || missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    if [[ "${missing[*]}" == *"|"* ]]; then  # alternatives: ask apt, with fresh lists
        apt_update_once "${missing[@]//|/ or }"
        for p in "${!missing[@]}"; do missing[p]="$(pick_package "${missing[p]}")"; done
    fi
    apt_command "${missing[@]}"
    say "Installing system packages: ${missing[*]}"
    apt_install "${missing[@]}"
    [[ " ${missing[*]} " == *" coturn "* ]] && stop_system_turn_server
    return 0
}

# Debian starts a TURN server when coturn is installed; the tests run their own on loopback,
# and a machine should not relay for anyone by accident.
stop_system_turn_server() {
    [[ -d /run/systemd/system ]] || return 0
    local run=()
    ((EUID == 0)) || run=(sudo -n)
    "${run[@]}" systemctl disable --now coturn >/dev/null 2>&1 || true
}

# --- Python -----------------------------------------------------------------
PYTHON=""
python_ok() {  # python_ok CMD: CMD exists and is new enough
    command -v "$1" >/dev/null 2>&1 \
        && "$1" -c "import sys; sys.exit(sys.version_info < (${MIN_PYTHON[0]}, ${MIN_PYTHON[1]}))" \
            >/dev/null 2>&1
}
find_python() {
    local cand
    # The system python3 first; a newer python3.X next to an old python3 also does.
    for cand in python3 python3.13 python3.12 python3.11; do
        if python_ok "$cand"; then PYTHON="$(command -v "$cand")"; return 0; fi
    done
    local have="none"
    command -v python3 >/dev/null 2>&1 && have="$(python3 --version 2>&1)"
    die "the kiosk needs Python ${MIN_PYTHON[0]}.${MIN_PYTHON[1]} or newer, but python3 here is: $have.
  On Ubuntu 22.04 install python3.11 and python3.11-venv (apt-get install python3.11 python3.11-venv)
  and run this command again."
}

venv_works() {
    # Runs, has pip, and was made at this path (a moved .venv has stale #! lines).
    [[ -x "$VENV/bin/python" ]] \
        && [[ "$(head -n 1 "$VENV/bin/pip" 2>/dev/null)" == "#!$VENV/bin/python"* ]] \
        && "$VENV/bin/python" -c 'import pip' >/dev/null 2>&1
}

make_venv() {
    say "Creating the Python environment (.venv) with $("$PYTHON" --version 2>&1)…"
    open_log
    move_log_out_of_venv
    rm -rf "$VENV"
    if ! logged -q "$PYTHON" -m venv "$VENV"; then
        rm -rf "$VENV"
        if "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1 \
            && ! tail -n 20 "$LOG" | grep -q ensurepip; then
            show_log_tail
            die "could not create .venv with $PYTHON (see above)."
        fi
        # Debian/Ubuntu ship venv's ensurepip separately (python3-venv / python3.X-venv).
        local ver pkgs=(python3-venv)
        ver="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
        if command -v apt-cache >/dev/null 2>&1; then
            apt_update_once python3-venv "python$ver-venv"  # apt-cache needs fresh lists
            apt-cache show "python$ver-venv" >/dev/null 2>&1 && pkgs+=("python$ver-venv")
        fi
        say "Installing system packages: ${pkgs[*]} (venv lacks ensurepip)"
        apt_install "${pkgs[@]}"
        logged "$PYTHON" -m venv "$VENV" \
            || { rm -rf "$VENV"; die "could not create .venv even after installing ${pkgs[*]}."; }
    fi
    move_log_into_venv
}

ensure_python_env() {
    find_python
    venv_works || make_venv
    move_log_into_venv
    local want have=""
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    [[ "$EXTRAS" == dev ]] || want+=" $EXTRAS"
    [[ -f "$STAMP" ]] && have="$(<"$STAMP")"
    [[ "$want" == "$have" ]] && return 0
    say "Installing Python packages…"
    (cd "$ROOT" && logged "$VENV/bin/python" -m pip install --disable-pip-version-check \
        --progress-bar off -e ".[$EXTRAS]") || die "could not install the Python packages."
    printf '%s\n' "$want" >"$STAMP"
}

setup() {
    ensure_system_packages
    ensure_python_env
}

# --- commands -----------------------------------------------------------------
cmd_setup() {
    case "${1:-}" in
        "") ;;
        --appliance) APPLIANCE=1; EXTRAS=hub ;;
        *) usage >&2; exit 2 ;;
    esac
    setup
}

cmd_run() {
    setup
    cd "$ROOT"
    exec "$VENV/bin/python" main.py "$@"
}

cmd_test() {
    setup
    cd "$ROOT"
    local failed=() rc

    say "== ruff check"
    "$VENV/bin/ruff" check . || failed+=(ruff)

    say "== lint-imports"
    "$VENV/bin/lint-imports" || failed+=(lint-imports)

    # -q unless the caller chose a verbosity.
    local quiet=(-q) a
    for a in "$@"; do
        case "$a" in -q | -v | -vv | -vvv | --quiet | --verbose | --verbosity*) quiet=() ;; esac
    done
    say "== pytest"
    rc=0
    QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m pytest "${quiet[@]}" "$@" || rc=$?
    if ((rc == 5)); then
        say "kiosk.sh: pytest collected no tests; that counts as a failure." >&2
    fi
    ((rc == 0)) || failed+=("pytest (exit $rc)")

    if ((${#failed[@]} > 0)); then
        local list
        list="$(printf '%s, ' "${failed[@]}")"
        printf 'kiosk.sh test: FAILED: %s\n' "${list%, }" >&2
        exit 1
    fi
}

COMMAND="${1:-}"
case "$COMMAND" in
    run) shift; cmd_run "$@" ;;
    test) shift; cmd_test "$@" ;;
    setup) shift; cmd_setup "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
esac
