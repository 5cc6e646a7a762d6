"""Repositories: named queries over one session. They flush when they must and never commit."""
