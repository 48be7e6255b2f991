"""Hall duty (坐班): leaders sitting in the county and town halls, face to face."""
