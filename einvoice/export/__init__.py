"""Export files for the city's systems: booking records for the budget and cash system (HKR)."""
