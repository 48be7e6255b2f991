"""Enterprise registry (企业库): the enterprises the center serves and pairs with leaders."""
