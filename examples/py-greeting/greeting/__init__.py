"""Greets people by name."""


def _who(name: str) -> str:
    return name.strip() or "world"


def greet(name: str) -> str:
    """Greets someone by name; a blank name greets the world."""
    return f"Hello, {_who(name)}!"


def farewell(name: str, brief: bool = False) -> str:
    """Says goodbye, politely or briefly."""
    if brief:
        return f"Bye, {_who(name)}."
    return f"Goodbye, {_who(name)}. See you soon!"
