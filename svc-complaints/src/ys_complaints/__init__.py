"""Enterprise infringement complaints center (侵权投诉中心)."""
