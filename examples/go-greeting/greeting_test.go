package greeting

import "testing"

func TestGreet(t *testing.T) {
	cases := map[string]string{"Ada": "Hello, Ada!", "  ": "Hello, world!"}
	for in, want := range cases {
		if got := Greet(in); got != want {
			t.Errorf("Greet(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFarewell(t *testing.T) {
	if got := Farewell("Ada", false); got != "Goodbye, Ada. See you soon!" {
		t.Errorf("Farewell polite = %q", got)
	}
	if got := Farewell("", true); got != "Bye, world." {
		t.Errorf("Farewell brief = %q", got)
	}
}
