"""Adapters between bytes and the domain: detection, parsing, validation layers."""
