# placeholder until the national rules land
from einvoice.domain.findings import Finding, Scenario
from einvoice.formats.xmldoc import XmlDocument


def run(doc: XmlDocument, scenario: Scenario) -> list[Finding]:
    return []
