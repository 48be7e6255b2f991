"""Visits (走访): leaders and departments at an enterprise, diagnosing problems (把脉问诊)."""
