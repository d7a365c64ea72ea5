"""Bytes <-> domain: detection, safe XML, PDF container, XSD, Schematron, national rules,
UBL/CII parsers, semantic JSON, validation reports. What reads and checks invoices; what people
look at is in ``einvoice.presentation``."""
