package main

import (
	"os"
	"strings"
	"testing"
)

// The README shows the policy this program prints, to the byte.
func TestREADMEShowsThePolicy(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "## IAM: one read-only policy for every live path")
	if i < 0 {
		t.Fatal("README has no IAM section")
	}
	a := strings.Index(s[i:], "```json\n")
	if a < 0 {
		t.Fatal("README's IAM section has no JSON block")
	}
	block := s[i+a+len("```json\n"):]
	block = block[:strings.Index(block, "```\n")]
	if block != iamPolicy {
		t.Errorf("README's policy differs from -iam-policy's; paste `go run ./examples/attribute -iam-policy` into it:\n%s", iamPolicy)
	}
}
