"""Language of a document: py3langid restricted to nl/en/fr/de, offline (model in the wheel).

Measured 100 % on paragraphs (docs/background.md §3.3); nine 1,000-character samples
spread over the text vote, which keeps long documents fast and mixed ones fair.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

LANGUAGES = ("nl", "en", "fr", "de")
SAMPLE = 1000
SAMPLES = 9
MIN_LETTERS = 40


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str, default: str = "") -> str:
    """``nl``/``en``/``fr``/``de`` for ``text``; ``default`` when there is too little text.

    Evenly spaced samples vote, so a bilingual document (a treaty with its Dutch
    translation) gets the language of most of its text; a tie goes to the language
    the document starts in.
    """
    if sum(1 for ch in text[: SAMPLE * 4] if ch.isalpha()) < MIN_LETTERS:
        return default
    step = max(len(text) // SAMPLES, 1)
    votes = [str(_identifier().classify(text[i: i + SAMPLE])[0]) for i in range(0, len(text), step)][:SAMPLES]
    counts = Counter(votes)
    best = max(counts.values())
    return next(vote for vote in votes if counts[vote] == best)
