"""How the SQLite store compresses a document: zstd with a dictionary trained on its own documents.

Documents are small (a motion is some 1,800 bytes of JSON) and alike: compressed one by
one, each has to spell out again the keys, the source names, the masthead phrases that
all of them share. A dictionary trained on the store's first documents holds those once:
on the 8,041 real motions the rows take 3.1 MB with a 128 KB dictionary, against 7.5 MB
with zlib per document (2.0x) and 7.7 MB with zstd without a dictionary.

A store's first batch may be unlike what follows: once the store has grown
:data:`RETRAIN_GROWTH` times (from :data:`RETRAIN_FROM` rows) it trains a new, larger
dictionary from rows spread over all of it, which compresses the rows written after it
(older rows keep theirs: nothing is recompressed).

A row is one zstd frame, whose header names the dictionary it was compressed with (the
frame's dictionary id; 0 for none); the dictionaries are kept in the store itself
(:class:`Codec` is given them by id). Rows written before (format 1) are zlib streams
and stay readable: a zlib stream never starts with zstd's magic number.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence

import zstandard

from indexer.model import Document

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
#: 8,041 motions: level 3 3.2 MB, 9 2.97 MB for 0.34 s of CPU, 19 2.80 MB for 4.3 s
LEVEL = 9
#: bytes of dictionary to train (at most); 64 KB gave 3.19 MB, 128 KB 3.07, 256 KB 3.45 from 200 motions
DICTIONARY_BYTES = 128 * 1024
#: a batch of at least this many documents trains the store's dictionary (when it has none)
TRAIN_MIN_DOCS = 200
#: documents sampled (spread over the batch) to train on
TRAIN_SAMPLES = 2000
#: a new dictionary when the sequence number has grown this many times since the newest was
#: trained (so at most a handful per store, each paying over many more rows than it was trained on)
RETRAIN_GROWTH = 8
#: the smallest store retrained: the 8,041 motions keep the one 128 KB dictionary (a second at
#: 8,000 rows would pay over 41 documents)
RETRAIN_FROM = 16_000
#: rows sampled (spread over the store) to train a new dictionary on
RETRAIN_SAMPLES = 8000
#: a retrained dictionary's bytes: the sampled documents' share of the store's text over this
#: (1/16th: 2 MB from 16,000 bench documents) and at most :data:`MAX_DICTIONARY_BYTES`.
#: 24,000 bench documents after the first 16,000: 16.3 MB with the first batch's 128 KB
#: dictionary, 12.3 MB with 1 MB from 8,000 spread over the 16,000, 11.3 MB with 2 MB
DICTIONARY_SHARE = 16
MAX_DICTIONARY_BYTES = 2 * 1024 * 1024
#: what a damaged row raises when it is read
UNREADABLE = (zlib.error, zstandard.ZstdError, ValueError, TypeError, KeyError)


def encode(doc: Document) -> bytes:
    """A document's JSON, the bytes that are compressed."""
    return json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")


def train(docs: Sequence[Document]) -> tuple[int, bytes] | None:
    """A dictionary (its id and bytes) trained on up to :data:`TRAIN_SAMPLES` of ``docs``
    (spread over them; only those are encoded, so a batch of 100,000 costs no more memory),
    or None when they are too few or too small to train on."""
    if len(docs) < TRAIN_MIN_DOCS:
        return None
    step = max(1, len(docs) // TRAIN_SAMPLES)
    try:
        trained = zstandard.train_dictionary(DICTIONARY_BYTES, [encode(doc) for doc in docs[::step]])
    except zstandard.ZstdError:
        return None  # zstd could not find enough in common: rows are compressed without one
    return trained.dict_id(), trained.as_bytes()


def due(trained_at: int, seq: int) -> bool:
    """Whether a store at sequence number ``seq`` trains a new dictionary, its newest having
    been trained at ``trained_at``."""
    return seq >= max(RETRAIN_FROM, RETRAIN_GROWTH * trained_at)


def sample_seqs(seq: int) -> list[int]:
    """Sequence numbers spread evenly over 1..``seq`` to sample (rows since replaced or
    deleted are simply missing)."""
    step = max(1, seq // RETRAIN_SAMPLES)
    return list(range(step, seq + 1, step))


def retrain(samples: Sequence[bytes], rows: int) -> tuple[int, bytes] | None:
    """A dictionary (id and bytes) from ``samples`` (encoded documents) for a store of ``rows``,
    sized to the store (:data:`DICTIONARY_SHARE`), or None when zstd finds too little in common."""
    if len(samples) < TRAIN_MIN_DOCS:
        return None
    average = sum(map(len, samples)) / len(samples)
    size = int(min(MAX_DICTIONARY_BYTES, max(DICTIONARY_BYTES, average * rows / DICTIONARY_SHARE)))
    try:
        trained = zstandard.train_dictionary(size, list(samples))
    except zstandard.ZstdError:
        return None
    return trained.dict_id(), trained.as_bytes()


class Codec:
    """Compresses with the newest dictionary, decompresses with whichever a row names."""

    def __init__(self, dictionaries: Mapping[int, bytes]) -> None:
        self._decompressors: dict[int, zstandard.ZstdDecompressor] = {0: zstandard.ZstdDecompressor()}
        self._compressor = zstandard.ZstdCompressor(level=LEVEL)
        self.newest = 0
        for dict_id, data in dictionaries.items():
            self.add(dict_id, data)

    def add(self, dict_id: int, data: bytes) -> None:
        """Take a dictionary in; new rows are compressed with the last one added."""
        dictionary = zstandard.ZstdCompressionDict(data)
        self._decompressors[dict_id] = zstandard.ZstdDecompressor(dict_data=dictionary)
        self._compressor = zstandard.ZstdCompressor(level=LEVEL, dict_data=dictionary)
        self.newest = dict_id

    def knows(self, data: bytes) -> bool:
        """False when the row names a dictionary this codec has not been given (yet)."""
        return not data.startswith(ZSTD_MAGIC) or dictionary_id(data) in self._decompressors

    def pack(self, raw: bytes) -> bytes:
        return self._compressor.compress(raw)

    def unpack(self, data: bytes) -> Document:
        return Document.from_dict(json.loads(self.decompress(data)))

    def decompress(self, data: bytes) -> bytes:
        if not data.startswith(ZSTD_MAGIC):
            return zlib.decompress(data)  # format 1
        return self._decompressors[dictionary_id(data)].decompress(data)


def dictionary_id(data: bytes) -> int:
    return int(zstandard.get_frame_parameters(data).dict_id)
