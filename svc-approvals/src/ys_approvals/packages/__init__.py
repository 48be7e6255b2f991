"""Integrated packages (集成套餐服务, 一件事一次办): several items, one application."""
