"""Service-item catalog (事项目录): what the hall handles, with limits, fees and materials."""
