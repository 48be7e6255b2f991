"""Local copy of the county's departments (kept current from the gateway's events)."""
