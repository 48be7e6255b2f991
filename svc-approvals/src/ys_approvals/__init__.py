"""Government service hall (政务服务中心)."""
