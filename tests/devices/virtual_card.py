"""A contact social-security card in a virtual reader, for the card reader tests.

Run with Debian's own Python, which has python3-virtualsmartcard:
    /usr/bin/python3 tests/devices/virtual_card.py PORT ID_NUMBER
It connects to vpcd (the virtual reader pcscd loads) on 127.0.0.1:PORT; the connection is the
card being put in, and ending this program is the card being taken out. The card's file system
is the reader contract in docs/card-reader.md: an application found by its name (AID) holding a
transparent file with the ID number. Everything else is virtualsmartcard's ISO 7816 card.
"""

import importlib
import logging
import sys

# Debian 12 installs the package one folder deeper than its import name, and it imports
# PyCrypto's `Crypto`, which Debian ships as pycryptodome's `Cryptodome` (python3-pycryptodome)
sys.path.insert(0, "/usr/lib/python3/site-packages/virtualsmartcard")
for name in ("", ".Cipher", ".Hash"):
    sys.modules.setdefault("Crypto" + name, importlib.import_module("Cryptodome" + name))

from virtualsmartcard.SmartcardFilesystem import DF, MF, TransparentStructureEF  # noqa: E402
from virtualsmartcard.SmartcardSAM import SAM  # noqa: E402
from virtualsmartcard.VirtualSmartcard import Iso7816OS, VirtualICC  # noqa: E402

# The contract (kept in step with kiosk/pcsc.py by tests/devices/test_card_reader.py)
AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")
APPLICATION_FID = 0xDDF1
NUMBER_FID = 0xEF05


def card(id_number: str) -> Iso7816OS:
    mf = MF()
    application = DF(mf, APPLICATION_FID, dfname=AID)
    mf.append(application)
    application.append(TransparentStructureEF(application, NUMBER_FID,
                                              data=id_number.encode("ascii")))
    sam = SAM(b"1234", b"0000000000")
    sam.set_MF(mf)
    return Iso7816OS(mf, sam)


def main() -> None:
    port, id_number = int(sys.argv[1]), sys.argv[2]
    logging.disable(logging.INFO)  # virtualsmartcard logs every APDU: the ID number with them
    reader = VirtualICC(None, "iso7816", "127.0.0.1", port, logginglevel=logging.WARNING)
    reader.os = card(id_number)
    print("inserted", flush=True)
    reader.run()


if __name__ == "__main__":
    main()
