"""Seal a submission to the hub's public key, so a stolen kiosk disk reveals nothing and the
kiosk itself cannot read back what it queued.

A fresh AES-256-GCM key per submission, wrapped with RSA-OAEP (SHA-256); the service id is
bound in as associated data. Only the envelope's metadata (service, time, provisional
reference) stays readable. No hand-rolled crypto: everything here is `cryptography`.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ALG = "RSA-OAEP-SHA256+A256GCM"
_OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(),
                     label=None)


class SealError(ValueError):
    pass


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def new_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)


def public_pem(private_key: rsa.RSAPrivateKey) -> str:
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def private_pem(private_key: rsa.RSAPrivateKey) -> bytes:
    return private_key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())


def load_public(pem: str) -> rsa.RSAPublicKey:
    return serialization.load_pem_public_key(pem.encode())


def load_private(pem: bytes) -> rsa.RSAPrivateKey:
    return serialization.load_pem_private_key(pem, password=None)


def seal(public_key: rsa.RSAPublicKey, plaintext: dict[str, Any], service_id: str,
         created: str, provisional_reference: str | None = None) -> dict[str, Any]:
    """The envelope: readable metadata around an encrypted body."""
    key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    body = json.dumps(plaintext, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return {
        "service_id": service_id,
        "created": created,
        "provisional_reference": provisional_reference,
        "sealed": {
            "alg": ALG,
            "key": _b64(public_key.encrypt(key, _OAEP)),
            "nonce": _b64(nonce),
            "ciphertext": _b64(AESGCM(key).encrypt(nonce, body, service_id.encode("utf-8"))),
        },
    }


def open_envelope(private_key: rsa.RSAPrivateKey, envelope: dict[str, Any]) -> dict[str, Any]:
    """The plaintext of an envelope; SealError if it was tampered with or is not ours."""
    try:
        sealed = envelope["sealed"]
        if sealed["alg"] != ALG:
            raise SealError(f"unknown algorithm {sealed['alg']!r}")
        key = private_key.decrypt(base64.b64decode(sealed["key"]), _OAEP)
        body = AESGCM(key).decrypt(base64.b64decode(sealed["nonce"]),
                                   base64.b64decode(sealed["ciphertext"]),
                                   str(envelope["service_id"]).encode("utf-8"))
        return json.loads(body)
    except SealError:
        raise
    except Exception as problem:  # any malformed or forged envelope is the same to the hub
        raise SealError("the submission could not be opened") from problem
