"""Public disclosure (四公开): policies and regulations, 权责清单, procedures, fee standards."""
