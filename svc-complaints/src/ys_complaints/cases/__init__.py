"""Complaint cases (投诉案件): intake, the flow, confidentiality, public tracking."""
