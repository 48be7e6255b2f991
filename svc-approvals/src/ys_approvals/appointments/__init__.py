"""Appointments (预约) at windows and door-to-door service requests (上门服务)."""
