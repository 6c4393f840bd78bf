"""The use cases. Each takes its collaborators (a ``Deps``) as an argument."""
