from greeting import farewell, greet


def test_greets_by_name():
    assert greet("Ada") == "Hello, Ada!"
    assert greet("  ") == "Hello, world!"


def test_says_goodbye():
    assert farewell("Ada") == "Goodbye, Ada. See you soon!"
    assert farewell("", brief=True) == "Bye, world."
