"""The only code that touches the network (and the file system, for ``file://`` URLs)."""

from indexer.fetch.client import USER_AGENT, Fetcher, FetchError, RobotsDisallowed
from indexer.fetch.politeness import PolitenessSettings
from indexer.fetch.state import CrawlState, IndexedUrl

__all__ = ["USER_AGENT", "CrawlState", "Fetcher", "FetchError", "IndexedUrl", "PolitenessSettings",
           "RobotsDisallowed"]
