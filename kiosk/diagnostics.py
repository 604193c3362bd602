"""Plain OK / problem checks for a centre admin: can this kiosk speak, and in which voices."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.i18n import languages
from kiosk.speech.player import find_output
from kiosk.speech.synth import Synthesiser


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def speech_checks(synth: Synthesiser) -> list[Check]:
    checks = []
    engine = synth.available()
    checks.append(Check("Speech engine", engine, "pyttsx3 with espeak-ng is working" if engine
                        else f"cannot speak: {synth.problem}; the kiosk shows the words instead"))
    for lang in languages():
        wanted = [(lang.name, lang.voice)] + [(d["name"], d["voice"])
                                              for d in (lang.dialects or {}).values()]
        for name, voice in wanted:
            found = engine and voice in synth.voices
            checks.append(Check(f"Voice for {name}", found, f"{voice} is installed" if found
                                else f"the voice {voice} is missing (install espeak-ng)"))
    command, where = find_output()
    checks.append(Check("Sound output", command is not None,
                        f"playing through {where}" if command else
                        f"{where}; the kiosk shows the words instead"))
    return checks


def report(checks: list[Check]) -> str:
    return "\n".join(f"{'OK     ' if c.ok else 'PROBLEM'}  {c.name}: {c.detail}" for c in checks)
