"""QR codes as Qt images, so a citizen can keep their reference on a phone.

qrcode computes the matrix; Qt paints it (no image library needed).
"""

from __future__ import annotations

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter


def qr_image(text: str, box: int = 10) -> QImage:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the quiet border
    image = QImage(len(matrix) * box, len(matrix) * box, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(x * box, y * box, box, box, Qt.GlobalColor.black)
    painter.end()
    return image
