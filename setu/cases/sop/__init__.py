"""The SOP as data: definition files, their validation, and the engine that applies them. Pure Python."""
