"""Statistics of the enterprise service center: visits vs plan, problems, satisfaction, duty."""
