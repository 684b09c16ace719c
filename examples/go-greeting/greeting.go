// Package greeting greets people by name.
package greeting

import (
	"fmt"
	"strings"
)

// Greet greets someone by name; a blank name greets the world.
func Greet(name string) string {
	return fmt.Sprintf("Hello, %s!", who(name))
}

// Farewell says goodbye, politely or briefly.
func Farewell(name string, brief bool) string {
	if brief {
		return fmt.Sprintf("Bye, %s.", who(name))
	}
	return fmt.Sprintf("Goodbye, %s. See you soon!", who(name))
}

func who(name string) string {
	if n := strings.TrimSpace(name); n != "" {
		return n
	}
	return "world"
}
