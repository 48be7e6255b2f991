"""Local copy of the county's departments and halls (seed file at start, gateway events after)."""
