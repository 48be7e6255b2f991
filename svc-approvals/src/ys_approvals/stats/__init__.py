"""Statistics of the hall: 网办率, 零跑腿/最多跑一次, days used vs limits, on-time rate."""
