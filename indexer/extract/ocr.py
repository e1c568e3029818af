"""OCR for image-only PDF pages: render with pypdfium2, read with the ``tesseract`` CLI.

Optional on both ends: without pypdfium2 or without ``tesseract`` on PATH
:func:`available` is False and callers flag the page instead. Whether OCR runs at all is
the caller's choice (the extraction setting ``no_ocr``). Debian packages:
``tesseract-ocr tesseract-ocr-nld``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

#: tesseract languages, Dutch first; English as a second model when installed
LANGUAGES = ("nld", "eng")
RENDER_SCALE = 200 / 72  # 200 dpi: typed Dutch text reads well, twice as fast as 300 dpi
PAGE_TIMEOUT_S = 30
#: total OCR time per document; pages left over stay empty and are flagged. Kept well under
#: extract_guarded's default 60 s timeout so a long scan ends as a flagged document, not a failure.
BUDGET_S = 30.0


def tesseract_path() -> str | None:
    return shutil.which("tesseract")


def available() -> bool:
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return False
    return tesseract_path() is not None


def _languages(binary: str) -> str:
    try:
        listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return "eng"
    known = set(listed.stdout.split())
    chosen = [lang for lang in LANGUAGES if lang in known]
    return "+".join(chosen) or "eng"


def ocr_pages(body: bytes, indexes: list[int], budget_s: float = BUDGET_S) -> dict[int, str]:
    """Text of the given (0-based) pages; pages that fail or exceed the budget are left out.

    Page images go to tesseract on stdin (PGM), so nothing touches the file system.
    """
    import pypdfium2

    binary = tesseract_path()
    if not binary:
        return {}
    languages = _languages(binary)
    texts: dict[int, str] = {}
    pdf = pypdfium2.PdfDocument(body)
    try:
        started = time.monotonic()
        for index in indexes:
            if time.monotonic() - started > budget_s:
                break
            text = _tesseract(binary, _pgm(pdf[index]), languages)
            if text is not None:
                texts[index] = text
    finally:
        pdf.close()
    return texts


def _pgm(page: object) -> bytes:
    """A page rendered in greyscale as PGM bytes (no Pillow needed)."""
    bitmap = page.render(scale=RENDER_SCALE, grayscale=True)  # type: ignore[attr-defined]
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    raw = bytes(bitmap.buffer)
    rows = b"".join(raw[row * stride: row * stride + width] for row in range(height))
    return b"P5\n%d %d\n255\n" % (width, height) + rows


def _tesseract(binary: str, image: bytes, languages: str) -> str | None:
    # one thread: the crawler shares the machine, and OCR runs inside a time budget
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run([binary, "stdin", "stdout", "-l", languages], input=image,
                              capture_output=True, timeout=PAGE_TIMEOUT_S, env=env)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else None
