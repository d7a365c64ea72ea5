"""dramatiq workers: thin actors that take ids and call services."""
