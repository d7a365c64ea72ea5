"""Pure domain core: no I/O, no third-party drivers."""
