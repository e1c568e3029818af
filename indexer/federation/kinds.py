"""The registry of remote kinds: ``kind`` in a ``[[remote]]`` table -> its search function
(:data:`KINDS`) and its options (:data:`OPTIONS`, declared next to each kind).

A search function takes the remote's config and the user's request and returns a
:class:`RemoteAnswer`, or raises ``RemoteError`` (reported as failed) or
``RemoteTimeout`` (reported as timed out). Adding a protocol is adding a module and a line here.
"""

from __future__ import annotations

from typing import Callable

from indexer.federation import bronzoeker, sru
from indexer.federation.model import RemoteAnswer, RemoteConfig
from indexer.index.backend import SearchRequest
from indexer.settings import Option

RemoteSearch = Callable[[RemoteConfig, SearchRequest], RemoteAnswer]

KINDS: dict[str, RemoteSearch] = {
    "bronzoeker": bronzoeker.search,
    "sru": sru.search,
}

#: kind -> the options a ``[[remote]]`` of that kind may carry besides the common ones
OPTIONS: dict[str, tuple[Option, ...]] = {
    "bronzoeker": bronzoeker.OPTIONS,
    "sru": sru.OPTIONS,
}
