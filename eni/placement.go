package eni

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// A task definition's placementConstraints (type memberOf: a cluster query
// language expression) restrict which container instances ECS places its
// tasks on ([DG] task-placement-constraints.md, cluster-query-language.md).
// WhatIf evaluates the part of the language that is about container
// instance attributes:
//
//	attribute:NAME == VALUE      (also "equals")
//	attribute:NAME != VALUE      (also "not_equals")
//	attribute:NAME in [V1, V2]   (also "!in", "not_in")
//	attribute:NAME exists        (also "!exists", "not_exists")
//
// and such terms joined by "and" / "&&". Values may be quoted ('v' or "v").
// Anything else (or, not, parentheses, =~ patterns, task:group,
// agentVersion, ...) is reported as not evaluated and does not restrict
// the count.

// cqlResult is the outcome of a constraint on one instance.
type cqlResult uint8

const (
	cqlMet cqlResult = iota
	cqlNotMet
	// cqlUnknown: the constraint names an attribute the instance does not
	// describe (a candidate type has only a few attributes).
	cqlUnknown
)

// cqlTerm is one `attribute:NAME OP [ARGS]` expression.
type cqlTerm struct {
	name string
	op   string // "==", "!=", "in", "!in", "exists", "!exists"
	args []string
}

// placementConstraint is a memberOf expression WhatIf evaluates: terms
// joined by and.
type placementConstraint struct {
	expr  string
	terms []cqlTerm
}

// attrLookup returns an instance's attribute: its value, whether the
// instance has it and whether that is known at all.
type attrLookup func(name string) (value string, present, known bool)

// instanceAttrs looks attributes up on a container instance from
// DescribeContainerInstances: an attribute it doesn't list, it doesn't
// have. For a candidate type (complete false) only the attributes it was
// given are known.
func instanceAttrs(ci *types.ContainerInstance, complete bool) attrLookup {
	return func(name string) (string, bool, bool) {
		v, ok := attribute(ci, name)
		return v, ok, ok || complete
	}
}

// parseConstraints splits a task definition's placement constraints into
// the ones WhatIf can evaluate and the expressions it cannot.
func parseConstraints(cs []types.TaskDefinitionPlacementConstraint) (ok []placementConstraint, unsupported []string) {
	for _, c := range cs {
		expr := strings.TrimSpace(aws.ToString(c.Expression))
		if c.Type != types.TaskDefinitionPlacementConstraintTypeMemberOf {
			unsupported = append(unsupported, fmt.Sprintf("%s %s", c.Type, expr))
			continue
		}
		terms, good := parseCQL(expr)
		if !good {
			unsupported = append(unsupported, expr)
			continue
		}
		ok = append(ok, placementConstraint{expr: expr, terms: terms})
	}
	return ok, unsupported
}

// cqlLex splits a cluster query expression into tokens: quoted strings
// (kept with their quotes), the punctuation [ ] , ( ), operators made of
// = ! ~ < > & |, and words (runs of anything else that is not white space:
// attribute names and unquoted values have no such characters).
func cqlLex(s string) ([]string, bool) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, false
			}
			toks = append(toks, s[i:i+j+2])
			i += j + 2
		case strings.IndexByte("[],()", c) >= 0:
			toks = append(toks, s[i:i+1])
			i++
		case strings.IndexByte("=!~<>&|", c) >= 0:
			j := i
			for j < len(s) && strings.IndexByte("=!~<>&|", s[j]) >= 0 {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			j := i
			for j < len(s) && strings.IndexByte(" \t\n\r'\"[],()=!~<>&|", s[j]) < 0 {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, true
}

// parseCQL parses the supported subset (see above); ok is false for
// anything else.
func parseCQL(expr string) (terms []cqlTerm, ok bool) {
	toks, ok := cqlLex(expr)
	if !ok || len(toks) == 0 {
		return nil, false
	}
	value := func(t string) (string, bool) {
		if n := len(t); n >= 2 && (t[0] == '\'' || t[0] == '"') {
			return t[1 : n-1], true
		}
		if t == "" || strings.IndexByte("[],()=!~<>&|", t[0]) >= 0 {
			return "", false
		}
		return t, true
	}
	for i := 0; ; {
		name, found := strings.CutPrefix(toks[i], "attribute:")
		if !found || name == "" || i+1 >= len(toks) {
			return nil, false
		}
		i++
		op := strings.ToLower(toks[i])
		if op == "!" && i+1 < len(toks) { // "!in", "!exists" lex as "!" and a word
			op += strings.ToLower(toks[i+1])
			i++
		}
		i++
		t := cqlTerm{name: name}
		switch op {
		case "==", "equals", "!=", "not_equals":
			t.op = "=="
			if op == "!=" || op == "not_equals" {
				t.op = "!="
			}
			if i >= len(toks) {
				return nil, false
			}
			v, ok := value(toks[i])
			if !ok {
				return nil, false
			}
			t.args = []string{v}
			i++
		case "in", "!in", "not_in":
			t.op = "in"
			if op != "in" {
				t.op = "!in"
			}
			if i >= len(toks) || toks[i] != "[" {
				return nil, false
			}
			for i++; i < len(toks) && toks[i] != "]"; i++ {
				v, ok := value(toks[i])
				if !ok || i+1 >= len(toks) {
					return nil, false
				}
				t.args = append(t.args, v)
				switch toks[i+1] {
				case ",":
					i++
				case "]":
				default:
					return nil, false
				}
			}
			if i >= len(toks) {
				return nil, false
			}
			i++ // "]"
		case "exists", "!exists", "not_exists":
			t.op = "exists"
			if op != "exists" {
				t.op = "!exists"
			}
		default:
			return nil, false
		}
		terms = append(terms, t)
		if i == len(toks) {
			return terms, true
		}
		if a := strings.ToLower(toks[i]); a != "and" && a != "&&" {
			return nil, false
		}
		if i++; i == len(toks) {
			return nil, false
		}
	}
}

// eval reports whether an instance meets the constraint and, when not,
// which term fails and why.
//
// An instance without the attribute meets no comparison, != and not_in
// included: ECS's own example `attribute:stack != prod` "lists the
// instances with the custom attribute "stack" unless the attribute value
// is "prod"" ([DG] task-placement-constraints.md#filter-attribute);
// not_in, the list form of !=, is read the same way (our inference).
func (c *placementConstraint) eval(attrs attrLookup) (cqlResult, string) {
	res := cqlMet
	for _, t := range c.terms {
		v, present, known := attrs(t.name)
		if !known {
			res = cqlUnknown
			continue
		}
		var met bool
		switch t.op {
		case "==":
			met = present && v == t.args[0]
		case "!=":
			met = present && v != t.args[0]
		case "in":
			met = present && slices.Contains(t.args, v)
		case "!in":
			met = present && !slices.Contains(t.args, v)
		case "exists":
			met = present
		case "!exists":
			met = !present
		}
		if met {
			continue
		}
		switch {
		case t.op == "!exists":
			return cqlNotMet, "the instance has " + t.name
		case !present:
			return cqlNotMet, "the instance has no " + t.name + " attribute"
		default:
			return cqlNotMet, fmt.Sprintf("its %s is %q", t.name, v)
		}
	}
	return res, ""
}
