"""Small helpers shared by several apps."""
