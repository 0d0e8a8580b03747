package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDocNamesEveryPolicyAction: the package comment lists the
// actions record needs ("-iam-policy prints the policy"); every action
// -iam-policy prints must be in that list.
func TestDocNamesEveryPolicyAction(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	doc, _, _ := strings.Cut(string(src), "package main")
	doc = strings.Join(strings.Fields(doc), " ")
	for _, m := range regexp.MustCompile(`"([a-z0-9]+:[A-Za-z]+)"`).FindAllStringSubmatch(iamPolicy, -1) {
		if !strings.Contains(doc, m[1]) {
			t.Errorf("the package comment does not name %s, which -iam-policy prints", m[1])
		}
	}
}
