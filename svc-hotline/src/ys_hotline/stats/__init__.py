"""Statistics of the hotline (received, closed, on-time rate per stage, days, satisfaction)."""
