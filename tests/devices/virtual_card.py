"""A contact social-security card in a virtual reader, for the card reader tests.

Run with Debian's own Python, which has python3-virtualsmartcard:
    /usr/bin/python3 tests/devices/virtual_card.py PORT AID FILE ID_NUMBER
AID and FILE are in hex: the reader contract of kiosk/pcsc.py, passed in by the test. The
card connects to vpcd (the virtual reader pcscd loads) on 127.0.0.1:PORT: the connection is
the card being put in, and ending this program is the card being taken out. Its file system
is the contract in docs/card-reader.md: an application found by its name (AID) holding a
transparent file with the ID number; the rest is virtualsmartcard's ISO 7816 card.
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

APPLICATION_FID = 0xDDF1  # the application's own file id: the contract finds it by name


def card(aid: bytes, number_file: int, id_number: str) -> Iso7816OS:
    mf = MF()
    application = DF(mf, APPLICATION_FID, dfname=aid)
    mf.append(application)
    application.append(TransparentStructureEF(application, number_file,
                                              data=id_number.encode("ascii")))
    sam = SAM(b"1234", b"0000000000")
    sam.set_MF(mf)
    return Iso7816OS(mf, sam)


def main() -> None:
    port, aid, number_file, id_number = sys.argv[1:5]
    logging.disable(logging.INFO)  # virtualsmartcard logs every APDU: the ID number with them
    reader = VirtualICC(None, "iso7816", "127.0.0.1", int(port), logginglevel=logging.WARNING)
    reader.os = card(bytes.fromhex(aid), int(number_file, 16), id_number)
    print("inserted", flush=True)
    reader.run()


if __name__ == "__main__":
    main()
