"""Problems (诉求) found on visits or hall duty, each handed to a department as a 交办单 and
followed until 销号 (closure confirmed by the enterprise, or the bureau's override)."""
