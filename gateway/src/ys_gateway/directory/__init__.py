"""The live org directory: departments, people and positions, halls, integration clients."""
