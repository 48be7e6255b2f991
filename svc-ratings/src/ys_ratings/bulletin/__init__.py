"""Monthly bulletin (月通报) per window, staff member and department."""
