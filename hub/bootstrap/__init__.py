"""The app's resources, each built by a module of its own; ``resources.py`` lists them in the
order they start. Nothing is imported here, so a command that needs one resource (the database)
does not load them all."""
