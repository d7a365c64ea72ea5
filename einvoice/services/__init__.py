"""Use cases that own a transaction: they commit; repositories never do."""
