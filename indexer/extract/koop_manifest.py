"""KOOP metadata manifestations as the meta-tag mapping ``koop_meta`` reads.

Two real layouts (repository.overheid.nl, ``…/metadata/metadata.xml`` and
``…/metadataowms/metadata_owms.xml``):

- ``<metadata_gegevens>`` with flat ``<metadata name= content= scheme=>`` elements (the
  same names and schemes as the HTML meta tags; nested ones describe a location);
- ``<owms-metadata>`` with ``owmskern`` / ``owmsmantel`` (``dcterms:*``) and ``oep``
  (``overheid:*``, ``overheidop:*``) elements.

Both become a name -> values mapping with ``name@scheme`` keys, like ``_meta_values``.
"""

from __future__ import annotations

from collections import defaultdict

from lxml import etree

#: owms local names -> meta-tag names (the rest of owmskern/owmsmantel: ``DCTERMS.<name>``)
OWMS_NAMES = {"identifier": "DC.identifier", "title": "DC.title", "type": "DC.type", "creator": "DC.creator",
              "language": "DCTERMS.language", "subject": "DC.subject", "description": "DC.description"}
OEP_PREFIXES = {"http://standaarden.overheid.nl/owms/terms/": "OVERHEID.",
                "http://standaarden.overheid.nl/oep/meta/": "OVERHEIDop."}


def meta_values(root: etree._Element) -> dict[str, list[str]] | None:
    """The manifestation's metadata, or ``None`` when ``root`` is no KOOP manifestation."""
    name = etree.QName(root).localname
    if name == "metadata_gegevens":
        return _flat(root)
    if name == "owms-metadata":
        return _owms(root)
    return None


def _flat(root: etree._Element) -> dict[str, list[str]]:
    values: dict[str, list[str]] = defaultdict(list)
    for element in root.iter("metadata"):
        _add(values, element.get("name", ""), element.get("content", ""), element.get("scheme", ""))
    return values


def _owms(root: etree._Element) -> dict[str, list[str]]:
    values: dict[str, list[str]] = defaultdict(list)
    for part in ("owmskern", "owmsmantel"):
        for element in root.findall(f"{part}/*"):
            local = etree.QName(element).localname.replace("dcterms.", "")  # a real file writes <dcterms.modified>
            _add(values, OWMS_NAMES.get(local, f"DCTERMS.{local}"), element.text or "", element.get("scheme", ""))
    for element in root.findall("oep/*"):
        qname = etree.QName(element)
        prefix = OEP_PREFIXES.get(qname.namespace or "", "OVERHEIDop.")
        _add(values, prefix + qname.localname, element.text or "", element.get("scheme", ""))
    return values


def _add(values: dict[str, list[str]], name: str, content: str, scheme: str) -> None:
    content = " ".join(content.split())
    if not name or not content:
        return
    values[name].append(content)
    if scheme:
        values[f"{name}@{scheme}"].append(content)
