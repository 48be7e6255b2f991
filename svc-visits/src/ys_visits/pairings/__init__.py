"""Pairings (挂帮): a county leader and a responsible department per enterprise, with a visit
frequency that runs as a deadline stage. Served at ``/api/v1/visits/assignments``."""
