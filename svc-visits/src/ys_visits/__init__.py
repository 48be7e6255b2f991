"""Enterprise service center: visits, problem hand-off, hall duty (非公经济服务)."""
