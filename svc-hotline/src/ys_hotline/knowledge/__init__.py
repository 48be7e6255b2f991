"""Knowledge base (知识库) with Chinese full-text search."""
