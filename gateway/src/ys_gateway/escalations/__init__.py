"""SMS to the people the deadline ladder names (督办 by text message)."""
