"""Character-level clean-up of extracted text: encoding repair, NFC, ligatures, odd glyphs.

``repair_encoding`` fixes mojibake (UTF-8 read as Latin-1/cp1252, e.g. ``Ã©Ã©n`` ->
``één``) with ftfy and reports whether it did; ``normalize_text`` maps the glyphs PDF
producers leave behind to ordinary characters and applies NFC.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

#: glyph -> replacement; ligatures, invisible marks, private-use bullets (Symbol/Wingdings)
GLYPHS: dict[str, str] = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u0132": "IJ", "\u0133": "ij",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
    "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\uf0b7": "•", "\uf0a7": "•", "\uf0d8": "•", "\uf0fc": "•", "\uf0a8": "•", "\uf02d": "-",
    "\u25aa": "•", "\u25cf": "•", "\uffff": "•",
}
#: a spacing accent typeset after its letter (``Kostic´``) becomes the accented letter (``Kostić``)
_SPACING_ACCENTS = re.compile("(?<=[A-Za-z])([\u00b4\u02dd\u00a8\u02c7\u0060\u00b8])")
_COMBINING = {"\u00b4": "\u0301", "\u02dd": "\u030b", "\u00a8": "\u0308", "\u02c7": "\u030c", "\u0060": "\u0300",
              "\u00b8": "\u0327"}
_GLYPH_RE = re.compile("|".join(map(re.escape, GLYPHS)))
#: remaining private-use characters carry no text
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
#: C0/C1 controls except tab, newline and form feed
_CONTROLS = re.compile("[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f\ufffd]")
#: a soft hyphen inside a word is invisible; at a line end it marks a break
_SOFT_HYPHEN_INLINE = re.compile("\u00ad(?!\\s*\\n)")
_MOJIBAKE_HINT = re.compile("[ÃÂâ][\u0080-\u00bf\u2018-\u203a\u20ac\u0152\u0153\u0160\u0161\u0178\u017d\u017e]")


def repair_encoding(text: str) -> tuple[str, bool]:
    """Undo double-encoded UTF-8; returns ``(text, repaired?)``.

    ftfy only runs when the text shows the typical mojibake pairs, so correct text
    (which ftfy would leave alone anyway) costs nothing.
    """
    if not _MOJIBAKE_HINT.search(text):
        return text, False
    fixed = ftfy.fix_encoding(text)
    return fixed, fixed != text


def normalize_text(text: str) -> str:
    """NFC, ligatures and odd glyphs replaced, controls removed, line ends unified."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _GLYPH_RE.sub(lambda m: GLYPHS[m.group(0)], text)
    text = _PRIVATE_USE.sub("", text)
    text = _SOFT_HYPHEN_INLINE.sub("", text)
    text = _CONTROLS.sub("", text)
    text = _SPACING_ACCENTS.sub(lambda m: _COMBINING[m.group(1)], text)
    return unicodedata.normalize("NFC", text)


def collapse_spaces(text: str) -> str:
    """Runs of spaces/tabs become one space; lines are stripped; 3+ newlines become 2."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def decode_text(body: bytes) -> tuple[str, list[str]]:
    """Bytes of a text format to str, with flags for what had to be done.

    UTF-8 (with or without BOM) first; otherwise cp1252 when only a few bytes are
    invalid UTF-8 would be wrong, so a body that is not UTF-8 at all is read as
    cp1252 and flagged ``invalid-utf8``.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    replaced = body.decode("utf-8", errors="replace")
    if replaced.count("\ufffd") <= max(3, len(replaced) // 1000):
        return replaced, ["invalid-utf8"]
    return body.decode("cp1252", errors="replace"), ["invalid-utf8"]
