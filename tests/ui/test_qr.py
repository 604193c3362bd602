"""The QR code on the confirmation page and receipt is a real, readable code."""

import qrcode

from ui.qr import qr_image


def test_the_picture_holds_the_code_module_for_module(qapp):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data("GL40172953")
    code.make(fit=True)
    matrix = code.get_matrix()
    image = qr_image("GL40172953", box=4)
    assert image.width() == image.height() == len(matrix) * 4
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            pixel = image.pixelColor(x * 4 + 2, y * 4 + 2).lightness()
            assert (pixel < 50) == dark, (x, y)
