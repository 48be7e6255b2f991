"""Local copy of the county's departments (seed file at start, the gateway's events after)."""
