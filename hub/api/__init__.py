"""The admin REST API under /api/v1: handlers are thin, the directory services do the work."""
