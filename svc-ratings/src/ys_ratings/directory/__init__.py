"""Names for the codes ratings carry (departments, windows, 工号), kept current by events."""
