"""Dispatch catalogue (派单目录): category → lead department + co-handling departments."""
