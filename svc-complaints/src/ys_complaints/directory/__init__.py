"""Local copy of the county's departments and towns (seed file, then the gateway's events)."""
