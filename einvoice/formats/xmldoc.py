"""A parsed, well-formed invoice document as the rule layers see it."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from einvoice.domain.findings import Syntax
from einvoice.formats.namespaces import CII_NS, UBL_NS


@dataclass(frozen=True, slots=True)
class XmlDocument:
    """Root element plus what detection found out about it."""

    root: etree._Element
    syntax: Syntax
    data: bytes  # the XML bytes exactly as received (or as extracted from a PDF)

    @property
    def namespaces(self) -> dict[str, str]:
        return UBL_NS if self.syntax.is_ubl else CII_NS

    def xpath(self, path: str, node: etree._Element | None = None) -> list[etree._Element]:
        """Evaluate an XPath with the syntax's prefixes; elements only."""
        context = self.root if node is None else node
        result = context.xpath(path, namespaces=self.namespaces)
        assert isinstance(result, list)
        return [r for r in result if isinstance(r, etree._Element)]

    def location(self, node: etree._Element) -> str:
        """A location path like the official validators print (prefix:name[n])."""
        return location_of(node)


def location_of(node: etree._Element) -> str:
    """``/*:Invoice[1]/cac:AccountingSupplierParty[1]``-style path of an element."""
    parts: list[str] = []
    current: etree._Element | None = node
    while current is not None:
        qname = etree.QName(current)
        prefix = _PREFIXES.get(qname.namespace or "", "")
        name = f"{prefix}:{qname.localname}" if prefix else qname.localname
        parent = current.getparent()
        if parent is None:
            parts.append(f"{name}[1]")
        else:
            position = 1
            for sibling in parent.iterchildren(current.tag):
                if sibling is current:
                    break
                position += 1
            parts.append(f"{name}[{position}]")
        current = parent
    return "/" + "/".join(reversed(parts))


_PREFIXES = {uri: prefix for prefix, uri in {**UBL_NS, **CII_NS}.items()}


def prefix_for(namespace: str) -> str:
    """The conventional prefix of a UBL/CII namespace ('' when unknown)."""
    return _PREFIXES.get(namespace, "")
