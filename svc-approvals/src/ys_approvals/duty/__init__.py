"""Hall duty (坐班): which department heads sit in which hall, read from svc-visits events."""
