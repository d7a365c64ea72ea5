"""Operations: installation check (doctor), backup and restore, health of a running set-up."""
