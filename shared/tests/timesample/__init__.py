"""A tiny service used by the deadline engine's tests: only the plumbing tables, the policy and
calendar routers, and the sweeper component."""
