package eni

import (
	"context"
	"errors"
	"fmt"
)

// BudgetOptions describe the container instance a type budget is for.
type BudgetOptions struct {
	// Trunking asks for the budget with ENI trunking (awsvpcTrunking) on.
	// It is ignored, with a note, where trunking is not available
	// (Windows, the T family, unsupported or unknown types).
	Trunking bool
	// Windows instances never use trunking (ECS supports it on Linux only).
	Windows bool
	// OtherENIs is the number of ENIs attached to the instance by hand or
	// by other software. ECS counts only the ENIs it attached itself, so it
	// does not subtract these: see Budget.ECSTasks.
	OtherENIs int
}

// Budget is the awsvpc task budget of one instance type.
type Budget struct {
	InstanceType string
	MaxENIs      int
	// Trunking is true when the budget uses the trunking limit.
	Trunking       bool
	TrunkingStatus TrunkingStatus
	// ECSTasks is how many awsvpc tasks ECS will place on the instance:
	// MaxENIs-1 without trunking (the primary ENI takes one slot), the
	// published limit with trunking.
	ECSTasks int
	// Tasks is how many can actually get an ENI once OtherENIs are taken
	// away; it equals ECSTasks when OtherENIs is 0.
	Tasks int
	// InstanceENIs is the number of ENIs attached to the instance when
	// Tasks tasks run: primary + tasks (+ trunk with trunking; the tasks'
	// ENIs are then branch ENIs of the trunk) + OtherENIs.
	InstanceENIs int
	OtherENIs    int
	// OrdinarySlots is how many ENIs besides the instance's own (the
	// primary, and the trunk with trunking) MaxENIs leaves: the most
	// OtherENIs can be, and, without trunking, ECSTasks.
	OrdinarySlots int
	// Source names where the instance type's numbers came from, as
	// InstanceType.Source does ("built-in", a limits file's name,
	// "ec2:DescribeInstanceTypes", or several joined by " + " when
	// [Layer] took fields from more than one). The trunking limit is
	// ECS's published table wherever it came from (see DataVintage for
	// the built-in one's date).
	Source string
	// Notes explain the choices made (in plain words, stable order).
	Notes []string
}

// BudgetFor looks the type up in l and returns its budget.
func BudgetFor(ctx context.Context, l Limits, instanceType string, opt BudgetOptions) (Budget, error) {
	if l == nil {
		return Budget{}, errors.New("eni: budget: nil Limits (Builtin() is the built-in table)")
	}
	it, err := l.Lookup(ctx, instanceType)
	if err != nil {
		return Budget{}, err
	}
	return TypeBudget(it, opt), nil
}

// TypeBudget computes the awsvpc task budget of an instance type.
//
// Without trunking ECS places MaxENIs-1 awsvpc tasks. With trunking it
// places the published per-type limit and the instance holds that many
// branch ENIs plus the primary and the trunk ENI. ECS does not know about
// ENIs it did not attach, so OtherENIs lower what really fits but not what
// ECS will try to place; a task over the real limit fails to get its ENI,
// goes to DEPROVISIONING and then STOPPED ([DG] task-networking-awsvpc.md).
func TypeBudget(it InstanceType, opt BudgetOptions) Budget {
	// Source: every number of a report must be traceable to where the
	// limits came from (a file, live EC2, or the built-in table).
	b := Budget{InstanceType: it.Name, MaxENIs: it.MaxENIs, TrunkingStatus: it.Trunking.Status, OtherENIs: opt.OtherENIs, Source: it.Source}
	if opt.OtherENIs < 0 {
		// A count of attached ENIs: a negative one would let more tasks
		// get an ENI than ECS places.
		b.note("OtherENIs %d is negative; counted as 0", opt.OtherENIs)
		opt.OtherENIs, b.OtherENIs = 0, 0
	}
	tFamily := isTFamily(it.Name)
	if opt.Windows || tFamily {
		b.TrunkingStatus = TrunkingUnsupported
	}
	without := max(it.MaxENIs-1, 0)
	b.OrdinarySlots = without
	switch {
	case !opt.Trunking:
	case opt.Windows:
		b.note("trunking requested but ECS supports ENI trunking on Linux only; Windows instances get max ENIs - 1")
	case it.Trunking.Status == TrunkingUnsupported:
		b.note("trunking requested but %s does not support ENI trunking (ECS guide)", it.Name)
	case tFamily:
		// Whatever a limits file says: ECS does not support trunking on
		// the T family (reference §8; [DG] container-instance-eni.md).
		b.note("trunking requested but %s does not support ENI trunking (ECS supports none of the T family)", it.Name)
	case it.Trunking.Status == TrunkingSupported && it.Trunking.Tasks <= 0:
		// Not from the parsers (a limit <= 0 is never "supported" there),
		// but an InstanceType built by hand: no budget below zero.
		b.note("trunking requested but the trunking limit given for %s is %d, not a number of tasks; max ENIs - 1 is used",
			it.Name, it.Trunking.Tasks)
	case it.Trunking.Status == TrunkingUnknown:
		if it.Trunking.Flags&FlagNonPositive != 0 {
			b.note("trunking requested but ECS's published limit for %s is %d, a documentation error; supply the real "+
				"limit (tasks_with_trunking) with eni.ParseLimitsTSV and eni.Layer", it.Name, it.Trunking.Tasks)
		} else {
			b.note("trunking requested but %s is not in ECS's trunking table (%s); check the live ECS guide and supply "+
				"tasks_with_trunking with eni.ParseLimitsTSV and eni.Layer", it.Name, DataVintage)
		}
	default:
		b.Trunking = true
	}
	if b.Trunking {
		b.OrdinarySlots = max(it.MaxENIs-2, 0)
		b.ECSTasks = it.Trunking.Tasks
		b.Tasks = b.ECSTasks
		b.InstanceENIs = b.ECSTasks + 2 + opt.OtherENIs
		if f := it.Trunking.Flags &^ FlagWithoutMismatch; f != 0 {
			b.note("published trunking limit %d is flagged: %s", it.Trunking.Tasks, f)
		}
		if opt.OtherENIs > 0 {
			// Branch ENIs ride on the trunk; other ENIs take ordinary slots
			// beside the primary and the trunk. Our inference, not documented.
			if opt.OtherENIs > b.OrdinarySlots {
				b.note("%s exceed the %d ordinary ENI slots left beside the primary and trunk ENIs", otherENIs(opt.OtherENIs), b.OrdinarySlots)
			} else {
				b.note("%s use ordinary ENI slots, not branch ENIs, so the trunking limit is unchanged (inferred, not documented)", otherENIs(opt.OtherENIs))
			}
		}
		return b
	}
	if it.Trunking.Flags&FlagWithoutMismatch != 0 {
		// Only where the number without trunking is the one used (a
		// trunking budget uses the published trunking limit), and before
		// the note on trunking not given, which stays the last one.
		b.Notes = append([]string{fmt.Sprintf("ECS's 2023 table says %d tasks without trunking; EC2 now reports %d ENIs, so %d is used",
			it.Trunking.PublishedWithout, it.MaxENIs, without)}, b.Notes...)
	}
	b.ECSTasks = without
	b.Tasks = without - opt.OtherENIs
	if b.Tasks < 0 {
		b.Tasks = 0
	}
	b.InstanceENIs = 1 + b.Tasks + opt.OtherENIs
	if opt.OtherENIs > 0 {
		b.note("ECS counts only ENIs it attached: it still places %d awsvpc tasks, but only %d can get an ENI beside the "+
			"%s; the rest fail to attach and stop", b.ECSTasks, b.Tasks, otherENIs(opt.OtherENIs))
	}
	return b
}

// isTFamily reports whether name is a burstable T-family type (t1, t2, t3,
// t3a, t4g, ...): "t" and a digit, so trn1 and the like are not.
func isTFamily(name string) bool {
	f := family(name)
	return len(f) >= 2 && f[0] == 't' && f[1] >= '0' && f[1] <= '9'
}

// otherENIs is "1 other ENI" or "N other ENIs".
func otherENIs(n int) string {
	if n == 1 {
		return "1 other ENI"
	}
	return fmt.Sprintf("%d other ENIs", n)
}

func (b *Budget) note(format string, args ...any) {
	b.Notes = append(b.Notes, fmt.Sprintf(format, args...))
}
