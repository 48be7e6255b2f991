"""Halls and windows: the county hall and each town's hall (镇乡政务服务中心)."""
