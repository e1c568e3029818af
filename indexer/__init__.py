"""bronzoeker: crawl, extract, index and search Dutch policy documents."""

__version__ = "0.1.0"
