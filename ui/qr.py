"""QR codes as Qt images, so a citizen can keep their reference on a phone."""

from __future__ import annotations

import io

import qrcode
from PySide6.QtGui import QImage


def qr_image(text: str, box: int = 10) -> QImage:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=2)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)  # PNG through qrcode's default (PyPNG) image factory
    return QImage.fromData(buffer.getvalue(), "PNG")
