"""Webhooks out (Standard Webhooks): subscriptions, intake from NATS, ordered delivery."""
