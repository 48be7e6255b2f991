"""Tickets (工单): intake, the closed loop, five time limits (五限时), queues."""
