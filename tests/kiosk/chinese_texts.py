"""Every Chinese text the kiosk can speak that needs no screen: the catalogue and the services,
as the engine receives them (kiosk.speech.engine_text), for Mandarin and for Cantonese."""

from __future__ import annotations

import re
import string
from pathlib import Path

import yaml

from kiosk.i18n import _messages, language, tr
from kiosk.speech.engine_text import for_engine

ROOT = Path(__file__).resolve().parents[2]
ZH, YUE = "zh_CN", "yue"
MANDARIN = language(ZH).voice
CANTONESE = language(ZH).dialects[YUE]["voice"]

# A value for every parameter of the catalogue, as the screens fill it in: numbers, times,
# amounts, paths and addresses, so the engine-side text preparation sees each kind.
NUMBERS = {"n": 3, "max": 600, "min": 8, "count": 12, "left": 2, "seconds": 30, "waiting": 2,
           "m": 5, "s": 40, "sent": 17, "calls": 4, "answered": 3, "y": 2026, "d": 23,
           "year": 2026, "month": 11, "day": 23, "level": 3, "average": "4.5", "total": 9,
           "used": 41, "refused": 1, "ms": 35, "status": 503, "files": 2, "age": 85, "wait": 6,
           "default": 135, "line": 7}
WORDS = {"name": "王芳", "why": "网络中断", "helper": "李明", "file": "/media/usb/kiosk-queue.zip",
         "url": "https://hub.example.org", "where": "/media/usb", "folder": "/var/lib/kiosk",
         "free": "1.2 GB", "value": "12:30", "printer": "HP LaserJet", "when": "2026-11-23 08:30",
         "whom": "张秀英", "what": "养老金资格认证", "field": "服务中心地址", "reason": "材料不全",
         "weekday": "星期一", "version": "0.4.0", "voice": "sit/yue", "path": "/etc/kiosk/secrets",
         "first": "2026年11月24日", "last": "2026年12月7日", "fields": "中心名称、打印机",
         "kiosk_id": "centre-12-a", "choices": "慢一点、正常、快一点", "amount": "¥120.50",
         "qt": "6.11.3", "problem": "OSError", "family": "Noto Sans CJK SC",
         "backend": "keyring.backends.SecretService.Keyring", "minimum": "500 MB",
         "ending": "五 六 七 八", "code": "482913", "id": "110101193912120021",
         "address": "北京市东城区和平里街道3号", "phone": "13812345678", "choice": "水费",
         "time": "上午八点半", "question": "您的户号是多少？", "list": "audit.log、helpers.json",
         "moved": "audit.log.damaged-20261123T083000Z", "kept": "保留了12条记录。",
         "letters": "bei", "library": "libzinnia.so.0", "package": "libzinnia0",
         "model": "/usr/lib/zinnia/model/tomoe/handwriting-zh_CN.model", "character": "十",
         "got": "千", "label": "电话", "option": "水费",
         "keys": "字号、空闲时间", "answer": "上午八点半", "clerk": "李明",
         "desk": "县政务服务中心", "words": "请点绿色的按钮"}
NOT_SPOKEN = {"widget.date.order"}  # the order of the date columns, not words


class Citizen:
    age = 85


def _params(text: str) -> dict[str, object]:
    names = {name.split(".")[0].split(":")[0] for _, name, _, _ in string.Formatter().parse(text)
             if name}
    values = {**NUMBERS, **WORDS, "citizen": Citizen()}
    return {name: values[name] for name in names}


def catalogue(lang: str) -> list[str]:
    """Every catalogue text of `lang` (yue falls back to zh_CN), its parameters filled."""
    texts = []
    for key in sorted(_messages(ZH)):
        if key not in NOT_SPOKEN:
            texts.append(tr(lang, key, **_params(tr(lang, key))))
    return texts


def service_texts() -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == ZH:
                    found.extend(value if isinstance(value, list) else [str(value)])
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted((ROOT / "assets" / "services").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def engine_texts(texts: list[str], dialect: str = "") -> list[str]:
    """What the engine is given for each text of a Chinese screen, without repeats."""
    said = (for_engine(text.strip(), ZH, dialect) for text in texts if text.strip())
    return sorted({text for text in said if text})


def english_words(text: str) -> list[str]:
    """Latin words of two or more letters: single letters (G L of a reference) are spelled."""
    return re.findall(r"[A-Za-z]{2,}", text)


def symbols(text: str) -> list[str]:
    """What is neither a Han character, a Latin letter, a space nor Chinese punctuation (which
    a voice pauses at): a symbol a Chinese voice would say in English or not at all."""
    return re.findall(r"[^\u3400-\u9fff\u3007A-Za-z\s，。：；？！、（）“”‘’《》…—]", text)
