"""Language codes as sources write them (ISO 639-1, 639-2/B, 639-2/T, 639-3, names,
locale tags such as ``en_US``) mapped to the two-letter ISO 639-1 code the index keeps.

A code without a two-letter equivalent (``rom``, Romani) is kept as it is, never cut to
two letters: ``spa`` is Spanish (``es``), not ``sp``.
"""

from __future__ import annotations

#: ISO 639-2 (B and T) / 639-3 codes and names -> ISO 639-1
TO_ISO_639_1: dict[str, str] = {
    "nld": "nl", "dut": "nl", "nederlands": "nl", "dutch": "nl",
    "eng": "en", "english": "en", "engels": "en",
    "fra": "fr", "fre": "fr", "french": "fr", "français": "fr", "frans": "fr",
    "deu": "de", "ger": "de", "german": "de", "duits": "de",
    "spa": "es", "spanish": "es", "español": "es", "spaans": "es",
    "ita": "it", "por": "pt", "pol": "pl", "ron": "ro", "rum": "ro", "hun": "hu", "bul": "bg",
    "ces": "cs", "cze": "cs", "slk": "sk", "slo": "sk", "slv": "sl", "hrv": "hr", "srp": "sr",
    "bos": "bs", "mkd": "mk", "mac": "mk", "sqi": "sq", "alb": "sq", "ell": "el", "gre": "el",
    "tur": "tr", "rus": "ru", "ukr": "uk", "swe": "sv", "dan": "da", "fin": "fi", "nor": "no",
    "nob": "nb", "nno": "nn", "est": "et", "lav": "lv", "lit": "lt", "fry": "fy", "ara": "ar",
    "zho": "zh", "chi": "zh", "jpn": "ja", "lat": "la", "cat": "ca", "eus": "eu", "baq": "eu",
}


def iso_639_1(value: str) -> str:
    """``spa`` -> ``es``; ``dut``/``nld`` -> ``nl``; ``en_US`` -> ``en``; ``rom`` stays ``rom``.

    >>> iso_639_1("spa"), iso_639_1("NLD"), iso_639_1("en_US"), iso_639_1("rom"), iso_639_1("")
    ('es', 'nl', 'en', 'rom', '')
    """
    lowered = value.strip().lower()
    if lowered in TO_ISO_639_1:
        return TO_ISO_639_1[lowered]
    code = lowered.replace("_", "-").split("-")[0]
    return TO_ISO_639_1.get(code, code)
