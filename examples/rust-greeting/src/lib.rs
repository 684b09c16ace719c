//! Greets people by name.

/// Greets someone by name; a blank name greets the world.
pub fn greet(name: &str) -> String {
    format!("Hello, {}!", who(name))
}

/// Says goodbye, politely or briefly.
pub fn farewell(name: &str, brief: bool) -> String {
    if brief {
        format!("Bye, {}.", who(name))
    } else {
        format!("Goodbye, {}. See you soon!", who(name))
    }
}

fn who(name: &str) -> &str {
    match name.trim() {
        "" => "world",
        n => n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greets_by_name() {
        assert_eq!(greet("Ada"), "Hello, Ada!");
        assert_eq!(greet("  "), "Hello, world!");
    }

    #[test]
    fn says_goodbye() {
        assert_eq!(farewell("Ada", false), "Goodbye, Ada. See you soon!");
        assert_eq!(farewell("", true), "Bye, world.");
    }
}
